/* h264: one viewer's H.264 stream, made from the JPEGs it would see (its own note band already
 * spliced in) by libx264 set as a cheap camera's encoder. */
#ifndef CAMDECOY_H264_H
#define CAMDECOY_H264_H

#include <stddef.h>
#include <stdint.h>

typedef struct h264 h264_s;

typedef struct {
	int hc_w, hc_h; /* even, the JPEGs' size */
	int hc_fps;     /* 1..30 */
} h264_conf_s;

/* Parameter sets are at most this long (a 640x480 Main SPS is about 25 bytes). */
#define H264_PARAM_MAX 128

/* NULL with err filled. Each encoder holds one thread's worth of state (a
 * few MB at 640x480): the caller caps how many live at once. */
h264_s *h264_new(const h264_conf_s *conf, char *err, size_t errlen);
void h264_free(h264_s *h);

/* Decodes the JPEG (4:2:0 or 4:2:2, conf's size) and encodes it as the next
 * picture at monotonic mono_ms; idr asks for an IDR (after a picture the
 * receiver lost). *au: the access unit in Annex B form (SPS and PPS before
 * every IDR, as cameras send them), valid until the next call; 0, or -1
 * with err filled (the stream goes on with the next JPEG). */
int h264_encode(h264_s *h, const uint8_t *jpeg, size_t len, int64_t mono_ms, int idr,
                const uint8_t **au, size_t *au_len, char *err, size_t errlen);

/* The SPS and PPS (NAL units without start codes) every encoder of conf
 * writes, for the SDP's sprop-parameter-sets: one grey picture encoded.
 * 0, or -1 with err filled. */
int h264_params(const h264_conf_s *conf, uint8_t sps[H264_PARAM_MAX], size_t *sps_len,
                uint8_t pps[H264_PARAM_MAX], size_t *pps_len, char *err, size_t errlen);

/* Each NAL unit of an Annex B stream in turn: 1 and *nal (header byte
 * first, start code excluded) while there is one, 0 at the end. *pos
 * starts at 0. Never reads past len. */
int h264_next_nal(const uint8_t *b, size_t len, size_t *pos, const uint8_t **nal, size_t *nal_len);

#endif
