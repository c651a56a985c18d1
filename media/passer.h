/* passer: what crosses a scene now and then (someone walking, a car): its
 * frames cut from the rendered sheet at the picture's scale, where it is at
 * a time, and drawn only where nothing in the room stands in front of it
 * (the scene's depth layer, put through the same fit and lens as the
 * picture). */
#ifndef CAMDECOY_PASSER_H
#define CAMDECOY_PASSER_H

#include <stddef.h>
#include <stdint.h>

#include "layer.h"
#include "picture.h"
#include "scene_data.h"

typedef struct passer passer_s;

/* The passer of scene d in a w x h picture the scene's renders cover by
 * fit; it crosses in ms milliseconds, always from sd_from to sd_to when
 * one_way (cars keep right), else either way. NULL with err filled. */
passer_s *passer_new(const scene_def_s *d, const layer_fit_s *fit, int w, int h, int ms,
                     int one_way, char *err, size_t errlen);
void passer_free(passer_s *ps);

/* 1 when it passes at t_ms: *frame of its cycle with its top-left corner
 * at (*x, *y); 0 when nothing passes. */
int passer_at(const passer_s *ps, int64_t t_ms, int *frame, int *x, int *y);
/* Draws frame at (x, y) over out, behind what stands in front of its
 * path; night: lit by the camera's IR illuminator (grey, dimmer). */
void passer_draw(const passer_s *ps, picture_s *out, int frame, int x, int y, int night);
/* 1 when the picture point (x, y) is within pad pixels of where it can be drawn. */
int passer_covers(const passer_s *ps, int x, int y, int pad);
/* 1 when the room at the picture point (x, y) stands in front of its path:
 * it is wholly hidden there (at the edges of what hides it, it fades). */
int passer_hidden(const passer_s *ps, int x, int y);

#endif
