/* encoder: one JPEG per picture with libavcodec's MJPEG encoder. */
#ifndef CAMDECOY_ENCODER_H
#define CAMDECOY_ENCODER_H

#include <stddef.h>
#include <stdint.h>

#include "picture.h"

typedef struct encoder encoder_s;

/* quality is 1 (smallest) .. 100 (best), mapped onto MJPEG's qscale 31..2;
 * threads > 1 enables slice threading. */
encoder_s *encoder_new(int w, int h, int fps, int quality, int threads, char *err, size_t errlen);
void encoder_free(encoder_s *enc);

/* Encodes pic. *data points into the encoder and stays valid until the next
 * call or encoder_free; 0 on success, -1 with err filled. */
int encoder_encode(encoder_s *enc, const picture_s *pic, const uint8_t **data, size_t *len,
                   char *err, size_t errlen);

/* The qscale a quality maps to (exposed for the tests and the README). */
int encoder_qscale(int quality);

#endif
