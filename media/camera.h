/* camera: source + on-screen display + encoder = one JPEG per capture. */
#ifndef CAMDECOY_CAMERA_H
#define CAMDECOY_CAMERA_H

#include <stddef.h>
#include <stdint.h>

#include "encoder.h"
#include "source.h"

typedef struct camera camera_s;

/* The on-screen display a vendor's firmware draws: where, in what format,
 * in what dress. */
typedef enum { OSD_TOP_LEFT, OSD_TOP_RIGHT, OSD_BOTTOM_LEFT, OSD_BOTTOM_RIGHT } osd_corner_e;
typedef enum {
	OSD_OUTLINE, /* light text with a dark outline, nothing behind it */
	OSD_BOX,     /* text on a shaded box */
	OSD_BAR,     /* one line on a dark bar the width of the picture */
} osd_dress_e;

/* The date and time formats firmware uses (an enum, not a strftime
 * format: formats stay literals the compiler checks). */
typedef enum {
	OSD_CLOCK_ISO,        /* 2024-03-01 14:05:09 */
	OSD_CLOCK_SLASH,      /* 2024/03/01 14:05:09 */
	OSD_CLOCK_US_WEEKDAY, /* 03-01-2024 Fri 14:05:09 */
} osd_clock_e;

typedef struct {
	osd_clock_e osd_clock;
	osd_corner_e osd_clock_at;
	int osd_name;             /* 0: the camera name is not drawn */
	osd_corner_e osd_name_at; /* ignored with OSD_BAR: the name follows the clock */
	osd_dress_e osd_dress;
	int osd_glyph_div; /* glyph height: the picture's height / this */
	uint8_t osd_fg[3]; /* text colour */
} camera_osd_s;

typedef struct {
	int cc_w, cc_h; /* even, 160x120 .. 1920x1080 */
	int cc_fps;
	int cc_quality;             /* 1..100, the IJG scaling of the Annex K tables */
	encoder_sub_e cc_sub;       /* chroma subsampling of the JPEGs */
	int cc_jfif_minor;          /* JFIF 1.01 or 1.02 */
	const camera_osd_s *cc_osd; /* NULL: the built-in one; borrowed for camera_new only */
	const char *cc_video;       /* NULL or "": built-in scene; see source.h */
	scene_kind_e cc_scene;      /* which built-in scene */
	look_mode_e cc_daynight;
	int64_t cc_fallback_ms;   /* a live camera away this long: the scene */
	const char *cc_font;      /* TrueType file for the OSD */
	const char *cc_note_font; /* for the note; NULL: cc_font */
	const char *cc_name;      /* camera name shown in the OSD */
	/* The trap-credential note: a paper note in the scene. */
	int cc_note;               /* 0: none */
	int cc_note_x, cc_note_y;  /* top-left corner; y is moved to a 16-row band boundary */
	const char *cc_note_label; /* first line, e.g. "WEB LOGIN" */
	const char *cc_note_text;  /* second line for every viewer (static mode); NULL: per
	                            * viewer, spliced in with camera_note() */
	/* a text at least as wide as any per-viewer credential line (sizes the
	 * note); NULL: a built-in one */
	const char *cc_note_widest;
} camera_conf_s;

/* One encoded frame. In per-viewer mode [splice_start, splice_end) is the
 * part of jpeg that a viewer's note bands (camera_note) replace. */
typedef struct {
	const uint8_t *cf_jpeg;
	size_t cf_len;
	size_t cf_splice_start, cf_splice_end;
} camera_frame_s;

/* Strings in conf are copied. NULL with err filled on failure. */
camera_s *camera_new(const camera_conf_s *conf, char *err, size_t errlen);
void camera_free(camera_s *cam);

/* Produces the JPEG for wall time t_ms (ms since the epoch; the OSD clock
 * shows it in local time). out->cf_jpeg stays valid until the next call. */
int camera_capture(camera_s *cam, int64_t t_ms, camera_frame_s *out, char *err, size_t errlen);

/* The source's state (a live camera's: live, held, fallback) and counts. */
void camera_source_status(camera_s *cam, source_status_s *st);

/* Per-viewer note: encodes the note bands of the latest frame with text as
 * the note's second line, and returns in *blob (malloc'd, the caller's) the
 * bytes that replace [cf_splice_start, cf_splice_end) of any later frame.
 * Safe to call from one thread other than the capturing one. 0 or -1. */
int camera_note(camera_s *cam, const char *text, uint8_t **blob, size_t *bloblen, char *err,
                size_t errlen);

/* A viewer's note kept on the live picture: its rows otherwise hold the
 * scene (grain, a passer-by, the light) as it was when the note was drawn.
 * *gen is the capture the note in *blob was drawn on. With *blob NULL it
 * draws the first note (waiting its turn); later, when it is old enough
 * for sharers viewers (every other frame for a few, less
 * often for many, so the cost per frame stays bounded), draws text on the
 * latest bands into a new *blob (the old one freed) and returns 1; 0: not
 * due, or another viewer's note is being drawn; -1: *blob kept. */
int camera_note_renew(camera_s *cam, const char *text, int sharers, uint64_t *gen, uint8_t **blob,
                      size_t *bloblen, char *err, size_t errlen);

#endif
