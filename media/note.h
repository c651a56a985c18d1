/* note: the trap credential written on a sheet in the room: the text laid
 * out flat, then warped into the sheet's quad with the scene's perspective
 * and a little blur, darkening the paper as ink does (the paper keeps the
 * scene's light, by day and under IR). */
#ifndef CAMDECOY_NOTE_H
#define CAMDECOY_NOTE_H

#include <stddef.h>

#include "picture.h"

typedef struct note note_s;

/* quad: the sheet's corners TL, TR, BR, BL in picture pixels; widest: the
 * widest two-line text (label, credential) the sheet must hold; font_path
 * borrowed. NULL with err filled when the sheet is too small to be read. */
note_s *note_new(const char *font_path, const double quad[8], const char *widest, char *err,
                 size_t errlen);
void note_free(note_s *nt);

/* The picture rows the sheet covers: [*y0, *y1). */
void note_rows(const note_s *nt, int *y0, int *y1);

/* Writes text (two '\n'-separated lines at most) on the sheet in pic,
 * whose row 0 is the picture's row row0 (a band of the picture, or all of
 * it with 0). Not thread-safe: one caller at a time per note. */
void note_draw(note_s *nt, picture_s *pic, int row0, const char *text, int night);

#endif
