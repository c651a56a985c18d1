/* look: what a cheap fixed camera does to a scene: optics (barrel
 * distortion, softness, chromatic fringing, vignetting) applied once to the
 * drawn room, and per frame auto-exposure drift, mains flicker and sensor
 * noise that grows with brightness; at night the infrared look
 * (monochrome, an IR-lit centre, more noise). */
#ifndef CAMDECOY_LOOK_H
#define CAMDECOY_LOOK_H

#include <stddef.h>
#include <stdint.h>

#include "picture.h"

/* The day/night switch: by the clock, or pinned. */
typedef enum { LOOK_AUTO, LOOK_DAY, LOOK_NIGHT } look_mode_e;

/* Night at minute m (0 .. 1439) of day-of-year yday (0 .. 365), local
 * time: from about 20 minutes after sunset to 20 minutes after sunrise, for
 * a mid-northern latitude (sunrise 04:30 .. 06:50, sunset 16:30 .. 19:00 over
 * the year), as a camera's light sensor switches to IR. */
int look_night_at(int yday, int minute);
/* The daylight a camera outdoors gets at that time, 0 (night) .. 256 (day):
 * it falls through dusk until the IR switch and rises after dawn's. */
int look_daylight_at(int yday, int minute);
/* The same for wall time t_ms in the process's time zone (TZ: the camera's). */
int look_is_night(int64_t t_ms);

/* An RGB canvas the scenes draw into (w x h, 3 bytes per pixel). */
typedef struct {
	int cv_w, cv_h;
	uint8_t *cv_rgb;
} canvas_s;

/* The day picture of a drawn room through the lens, shifted by (dx, dy)
 * pixels (sub-pixel: the whole image's jitter). out is w x h. */
void look_optics(const canvas_s *cv, picture_s *out, double dx, double dy);
/* The same room under the camera's IR illuminator: monochrome, bright in the
 * centre, falling off fast; scene light sources (lamps, screens) that are
 * off at night are the scene's to leave out. */
void look_optics_ir(const canvas_s *cv, picture_s *out, double dx, double dy);

/* The lens's geometry alone: out (w x h, one byte a pixel) = channel c of
 * the canvas where look_optics samples it (bilinear), without softness,
 * fringes or vignetting: data that must line up with the picture (depth). */
void look_optics_plane(const canvas_s *cv, int c, uint8_t *out);

/* Where the lens shows the canvas point (x, y) of a w x h room: what is
 * drawn per frame on the lensed picture (LEDs, screens) goes there. */
void look_map(int w, int h, int x, int y, int *ox, int *oy);
/* The same in fractions of a pixel and not clamped to the picture: for
 * what moves in from beyond its edges (a car driving through). */
void look_map_f(int w, int h, double x, double y, double *ox, double *oy);

/* Per-frame state: a noise field read at a random offset each frame. */
typedef struct look look_s;
look_s *look_new(int w, int h, char *err, size_t errlen);
void look_free(look_s *lk);

/* out = bg through this frame's exposure, flicker and noise (night: grey,
 * noisier). bg and out are w x h. */
void look_frame(look_s *lk, const picture_s *bg, picture_s *out, int64_t t_ms, int night);
/* The same with level (16 .. 256) of the full day's light on the sensor:
 * darker and noisier as the auto-exposure's gain rises at dusk. */
void look_frame_lit(look_s *lk, const picture_s *bg, picture_s *out, int64_t t_ms, int night,
                    int level);

#endif
