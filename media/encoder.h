/* encoder: one JPEG per picture, written the way camera firmware writes it. */
#ifndef CAMDECOY_ENCODER_H
#define CAMDECOY_ENCODER_H

#include <stddef.h>
#include <stdint.h>

#include "picture.h"

typedef struct encoder encoder_s;

/* The chroma subsampling written (the pictures are 4:2:0; 4:2:2 repeats
 * each chroma row, as a sensor's 4:2:2 output would carry it). */
typedef enum { ENCODER_420, ENCODER_422 } encoder_sub_e;

typedef struct {
	int ec_w, ec_h; /* even, 16 .. 4096 */
	int ec_quality; /* 1..100: the Annex K tables scaled the IJG way */
	encoder_sub_e ec_sub;
	int ec_jfif_minor; /* the JFIF APP0's version 1.ec_jfif_minor (1 or 2) */
	/* 1: one restart interval per 16-row band, so that a band encoded on
	 * its own is byte-identical to the same band in a whole frame (the
	 * Huffman tables are always the standard ones) */
	int ec_bands;
} encoder_conf_s;

/* NULL with err filled on a bad configuration. */
encoder_s *encoder_new(const encoder_conf_s *conf, char *err, size_t errlen);
void encoder_free(encoder_s *enc);

/* Encodes pic (conf's size). *data points into the encoder and stays valid
 * until the next call or encoder_free; 0 on success, -1 with err filled. */
int encoder_encode(encoder_s *enc, const picture_s *pic, const uint8_t **data, size_t *len,
                   char *err, size_t errlen);

/* Entropy-coded segments of a banded JPEG: seg_start[k] is where band k's
 * data begins, seg_end[k] where the marker after it (RSTn or EOI) begins.
 * Returns the number of bands found (at most max), -1 if not a banded JPEG. */
int encoder_segments(const uint8_t *jpeg, size_t len, size_t *seg_start, size_t *seg_end, int max);

#endif
