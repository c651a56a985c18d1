/* overlay: on-screen text (clock, camera name, notes) drawn with FreeType. */
#ifndef CAMDECOY_OVERLAY_H
#define CAMDECOY_OVERLAY_H

#include <stddef.h>
#include <stdint.h>

#include "picture.h"

typedef struct overlay overlay_s;

typedef struct {
	uint8_t os_fg[3]; /* text colour, RGB */
	uint8_t os_bg[3]; /* box colour, RGB */
	int os_bg_alpha;  /* 0 no box, 1..255 shaded box, 256 opaque box */
	int os_shadow;    /* 1: a dark 1-pixel outline keeps text legible on any scene */
	int os_pad;       /* box padding in pixels */
} overlay_style_s;

/* font_path is borrowed; px_size is the glyph height in pixels. */
overlay_s *overlay_new(const char *font_path, int px_size, char *err, size_t errlen);
void overlay_free(overlay_s *ov);

/* Size of a (possibly multi-line, '\n'-separated) text block, no padding. */
void overlay_measure(const overlay_s *ov, const char *text, int *w, int *h);

/* Draws a text block with its top-left corner at (x, y), clipped to pic.
 * Bytes outside printable ASCII are drawn as '?': the overlay never needs
 * more, and it keeps the glyph cache small and fixed. */
void overlay_draw(const overlay_s *ov, picture_s *pic, int x, int y, const char *text,
                  const overlay_style_s *style);

#endif
