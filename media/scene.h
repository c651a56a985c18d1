/* scene: the built-in synthetic camera view (a server room aisle). */
#ifndef CAMDECOY_SCENE_H
#define CAMDECOY_SCENE_H

#include <stddef.h>
#include <stdint.h>

#include "picture.h"

typedef struct scene scene_s;

/* Draws the static background once; NULL with err filled on failure. */
scene_s *scene_new(int w, int h, char *err, size_t errlen);
void scene_free(scene_s *sc);

/* Renders the view at time t_ms (ms since the Unix epoch) into out, which
 * must be w x h: background, blinking LEDs, light flicker and sensor noise,
 * so that consecutive frames differ the way a real sensor's do. */
void scene_render(scene_s *sc, picture_s *out, int64_t t_ms);

#endif
