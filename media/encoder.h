/* encoder: one JPEG per picture with libavcodec's MJPEG encoder. */
#ifndef CAMDECOY_ENCODER_H
#define CAMDECOY_ENCODER_H

#include <stddef.h>
#include <stdint.h>

#include "picture.h"

typedef struct encoder encoder_s;

/* quality is 1 (smallest) .. 100 (best), mapped onto MJPEG's qscale 31..2;
 * threads > 1 enables slice threading. With bands set, the encoder writes
 * one restart interval per 16-row band with the standard Huffman tables, so
 * that a band encoded on its own is byte-identical to the same band in a
 * whole frame (at least two slice threads are used then). */
encoder_s *encoder_new(int w, int h, int fps, int quality, int threads, int bands, char *err,
                       size_t errlen);
void encoder_free(encoder_s *enc);

/* Encodes pic. *data points into the encoder and stays valid until the next
 * call or encoder_free; 0 on success, -1 with err filled. */
int encoder_encode(encoder_s *enc, const picture_s *pic, const uint8_t **data, size_t *len,
                   char *err, size_t errlen);

/* Entropy-coded segments of a banded JPEG: seg_start[k] is where band k's
 * data begins, seg_end[k] where the marker after it (RSTn or EOI) begins.
 * Returns the number of bands found (at most max), -1 if not a banded JPEG. */
int encoder_segments(const uint8_t *jpeg, size_t len, size_t *seg_start, size_t *seg_end, int max);

/* The qscale a quality maps to (exposed for the tests and the README). */
int encoder_qscale(int quality);

#endif
