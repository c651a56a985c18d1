/* scene: the built-in camera views, path-traced from our own scripts
 * (media/scenes/<scene>.py) into day and night (IR) layers and a sprite of
 * something passing, composited per frame: light by the camera's clock,
 * LEDs, screens, someone or a car passing now and then, sensor noise. */
#ifndef CAMDECOY_SCENE_H
#define CAMDECOY_SCENE_H

#include <stddef.h>
#include <stdint.h>

#include "look.h"
#include "picture.h"

typedef enum { SCENE_SERVER_ROOM, SCENE_OFFICE, SCENE_WAREHOUSE, SCENE_CAR_PARK } scene_kind_e;

typedef struct scene scene_s;

/* The scene's name in the configuration ("server-room", "office",
 * "warehouse", "car-park"); -1 for an unknown name. */
int scene_from_name(const char *name);
const char *scene_name(scene_kind_e kind);
/* The scene a persona's cameras are usually found watching. */
scene_kind_e scene_for_persona(const char *persona);

/* Loads the scene's layers, fitted to w x h and put through the lens; NULL
 * with err filled on failure. */
scene_s *scene_new(int w, int h, scene_kind_e kind, look_mode_e mode, char *err, size_t errlen);
void scene_free(scene_s *sc);

/* The light at a local time (weekday 0 Sunday .. 6, day of year, minute of
 * the day): *level 0..256 the light the sensor gets (256 full day), 1 when
 * the camera is in its night (IR) mode. Indoor scenes are lit by their
 * lamps in office hours (the office also by its window in daylight);
 * outdoors the sun sets the level and the dusk. */
int scene_light_at(scene_kind_e kind, int wday, int yday, int minute, int *level);

/* Renders the view at time t_ms (ms since the Unix epoch; the light by the
 * process's local time, TZ the camera's) into out (w x h). Returns 1 when
 * it was the night (IR) picture. */
int scene_render(scene_s *sc, picture_s *out, int64_t t_ms);
/* The same without sensor noise or exposure drift: what is animated and
 * nothing else changes between two times (for tests). */
int scene_compose(scene_s *sc, picture_s *out, int64_t t_ms);
/* 1 when the picture point (x, y) can change with time in scene_compose
 * (an LED, a screen, the path of what passes). */
int scene_animated(const scene_s *sc, int x, int y);
/* 1 when someone (or a car) is passing at t_ms. */
int scene_passing(const scene_s *sc, int64_t t_ms);
/* 1 when the room at the picture point (x, y) stands in front of where
 * they pass (a desk, a rack): they are wholly hidden there. */
int scene_hides_passer(const scene_s *sc, int x, int y);
/* What the last frame was: 1 night. */
int scene_is_night(const scene_s *sc);
/* The sheet for the note: its corners TL, TR, BR, BL in picture pixels. */
void scene_note_quad(const scene_s *sc, double quad[8]);

#endif
