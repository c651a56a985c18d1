/* scene: the built-in camera views (a server room aisle, an office), drawn
 * procedurally and seen through a cheap camera's lens, by day and by night. */
#ifndef CAMDECOY_SCENE_H
#define CAMDECOY_SCENE_H

#include <stddef.h>
#include <stdint.h>

#include "look.h"
#include "picture.h"

typedef enum { SCENE_SERVER_ROOM, SCENE_OFFICE } scene_kind_e;

typedef struct scene scene_s;

/* Draws the room once (by day and by night, as mode needs) and puts it
 * through the lens; NULL with err filled on failure. */
scene_s *scene_new(int w, int h, scene_kind_e kind, look_mode_e mode, char *err, size_t errlen);
void scene_free(scene_s *sc);

/* Renders the view at time t_ms (ms since the Unix epoch) into out, which
 * must be w x h: exposure drift, sensor noise, LEDs, screens, a passing
 * light or shadow now and then, so that consecutive frames differ the way
 * a real sensor's do. Returns 1 when it was the night (IR) picture. */
int scene_render(scene_s *sc, picture_s *out, int64_t t_ms);
/* What the last frame was: 1 night. */
int scene_is_night(const scene_s *sc);

#endif
