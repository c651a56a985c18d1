/* h264: libavcodec's MJPEG decoder, then libx264 as a cheap camera's encoder would run: Main
 * profile, no B-frames, one IDR every two seconds (Hikvision's default I-frame interval is 50 at
 * 25 fps), a picture out for every picture in, one thread.
 *
 * Each viewer has its own encoder because the picture it sees differs (its
 * credential in the note band): a P-frame made for one viewer's pictures
 * decodes to garbage on another's. The JPEGs are full-range BT.601, and so
 * is the stream (the VUI says so), as camera firmware writes it. */
#include "h264.h"

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>
#include <stdio.h>
#include <string.h>

struct h264 {
	h264_conf_s h_conf;
	AVCodecContext *h_dec, *h_enc;
	AVPacket *h_in, *h_out;
	AVFrame *h_jpeg, *h_pic;
	int64_t h_pts; /* the last picture's, in frames */
};

static void say(char *err, size_t errlen, const char *what, int rc)
{
	char msg[AV_ERROR_MAX_STRING_SIZE] = "";

	if (rc < 0)
		av_strerror(rc, msg, sizeof(msg));
	snprintf(err, errlen, "h264: %s%s%s", what, msg[0] != '\0' ? ": " : "", msg);
}

static AVCodecContext *open_encoder(const h264_conf_s *c, char *err, size_t errlen)
{
	const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
	AVCodecContext *e;
	char gop[16];
	int rc;

	if (codec == NULL) {
		say(err, errlen, "libavcodec has no libx264", 0);
		return NULL;
	}
	if ((e = avcodec_alloc_context3(codec)) == NULL) {
		say(err, errlen, "out of memory", 0);
		return NULL;
	}
	e->width = c->hc_w;
	e->height = c->hc_h;
	e->time_base = (AVRational){1, c->hc_fps};
	e->framerate = (AVRational){c->hc_fps, 1};
	e->pix_fmt = AV_PIX_FMT_YUV420P;
	e->color_range = AVCOL_RANGE_JPEG;
	e->gop_size = 2 * c->hc_fps;
	e->keyint_min = 2 * c->hc_fps;
	e->max_b_frames = 0;
	e->thread_count = 1;
	snprintf(gop, sizeof(gop), "%d", 2 * c->hc_fps);
	/* superfast keeps CABAC (Main), which camera SoCs' encoders use;
	 * zerolatency: no lookahead, so each picture comes out as it goes in */
	av_opt_set(e->priv_data, "preset", "superfast", 0);
	av_opt_set(e->priv_data, "tune", "zerolatency", 0);
	av_opt_set(e->priv_data, "profile", "main", 0);
	av_opt_set(e->priv_data, "crf", "26", 0);
	/* a fixed GOP, as camera firmware's: no scene cuts */
	av_opt_set(e->priv_data, "x264-params", "scenecut=0:repeat-headers=1:aud=0", 0);
	if ((rc = avcodec_open2(e, codec, NULL)) < 0) {
		say(err, errlen, "libx264 would not open", rc);
		avcodec_free_context(&e);
		return NULL;
	}
	return e;
}

static AVCodecContext *open_decoder(char *err, size_t errlen)
{
	const AVCodec *codec = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
	AVCodecContext *d = codec != NULL ? avcodec_alloc_context3(codec) : NULL;
	int rc;

	if (d == NULL) {
		say(err, errlen, "no MJPEG decoder", 0);
		return NULL;
	}
	d->thread_count = 1;
	if ((rc = avcodec_open2(d, codec, NULL)) < 0) {
		say(err, errlen, "MJPEG decoder would not open", rc);
		avcodec_free_context(&d);
	}
	return d;
}

h264_s *h264_new(const h264_conf_s *conf, char *err, size_t errlen)
{
	h264_s *h;

	if (conf->hc_w < 16 || conf->hc_h < 16 || conf->hc_w > 4096 || conf->hc_h > 4096 ||
	    (conf->hc_w & 1) || (conf->hc_h & 1) || conf->hc_fps < 1 || conf->hc_fps > 30) {
		say(err, errlen, "bad size or frame rate", 0);
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		say(err, errlen, "out of memory", 0);
		return NULL;
	}
	h->h_conf = *conf;
	h->h_pts = -1;
	if ((h->h_enc = open_encoder(conf, err, errlen)) == NULL ||
	    (h->h_dec = open_decoder(err, errlen)) == NULL)
		goto fail;
	h->h_in = av_packet_alloc();
	h->h_out = av_packet_alloc();
	h->h_jpeg = av_frame_alloc();
	h->h_pic = av_frame_alloc();
	if (h->h_in == NULL || h->h_out == NULL || h->h_jpeg == NULL || h->h_pic == NULL)
		goto oom;
	h->h_pic->format = AV_PIX_FMT_YUV420P;
	h->h_pic->width = conf->hc_w;
	h->h_pic->height = conf->hc_h;
	h->h_pic->color_range = AVCOL_RANGE_JPEG;
	if (av_frame_get_buffer(h->h_pic, 0) < 0)
		goto oom;
	return h;
oom:
	say(err, errlen, "out of memory", 0);
fail:
	h264_free(h);
	return NULL;
}

void h264_free(h264_s *h)
{
	if (h == NULL)
		return;
	avcodec_free_context(&h->h_enc);
	avcodec_free_context(&h->h_dec);
	av_packet_free(&h->h_in);
	av_packet_free(&h->h_out);
	av_frame_free(&h->h_jpeg);
	av_frame_free(&h->h_pic);
	free(h);
}

/* The decoded JPEG into the encoder's picture: 4:2:2 chroma rows are pairs
 * of the same row (encoder.h), so every other one is the 4:2:0 row. */
static int take_picture(h264_s *h)
{
	const AVFrame *s = h->h_jpeg;
	AVFrame *d = h->h_pic;
	int w = h->h_conf.hc_w, ht = h->h_conf.hc_h, step;

	if (s->width != w || s->height != ht)
		return -1;
	if (s->format == AV_PIX_FMT_YUVJ420P || s->format == AV_PIX_FMT_YUV420P)
		step = 1;
	else if (s->format == AV_PIX_FMT_YUVJ422P || s->format == AV_PIX_FMT_YUV422P)
		step = 2;
	else
		return -1;
	if (av_frame_make_writable(d) < 0)
		return -1;
	for (int y = 0; y < ht; y++)
		memcpy(d->data[0] + (size_t)y * (size_t)d->linesize[0],
		       s->data[0] + (size_t)y * (size_t)s->linesize[0], (size_t)w);
	for (int p = 1; p < 3; p++)
		for (int y = 0; y < ht / 2; y++)
			memcpy(d->data[p] + (size_t)y * (size_t)d->linesize[p],
			       s->data[p] + (size_t)(y * step) * (size_t)s->linesize[p],
			       (size_t)w / 2);
	return 0;
}

/* The picture in d->h_pic encoded; *au the packet. */
static int encode_picture(h264_s *h, int64_t pts, int idr, const uint8_t **au, size_t *au_len,
                          char *err, size_t errlen)
{
	int rc;

	h->h_pic->pts = pts;
	h->h_pic->pict_type = idr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
	av_packet_unref(h->h_out);
	if ((rc = avcodec_send_frame(h->h_enc, h->h_pic)) < 0 ||
	    (rc = avcodec_receive_packet(h->h_enc, h->h_out)) < 0) {
		say(err, errlen, "libx264", rc);
		return -1;
	}
	*au = h->h_out->data;
	*au_len = (size_t)h->h_out->size;
	return 0;
}

int h264_encode(h264_s *h, const uint8_t *jpeg, size_t len, int64_t mono_ms, int idr,
                const uint8_t **au, size_t *au_len, char *err, size_t errlen)
{
	int64_t pts = mono_ms * h->h_conf.hc_fps / 1000;
	int rc;

	if (len > INT32_MAX) {
		say(err, errlen, "JPEG too large", 0);
		return -1;
	}
	av_packet_unref(h->h_in);
	h->h_in->data = (uint8_t *)jpeg; /* not owned: no buf, only read */
	h->h_in->size = (int)len;
	rc = avcodec_send_packet(h->h_dec, h->h_in);
	h->h_in->data = NULL;
	h->h_in->size = 0;
	if (rc < 0 || (rc = avcodec_receive_frame(h->h_dec, h->h_jpeg)) < 0) {
		say(err, errlen, "the JPEG did not decode", rc);
		return -1;
	}
	rc = take_picture(h);
	av_frame_unref(h->h_jpeg);
	if (rc != 0) {
		say(err, errlen, "the JPEG's size or sampling is not the stream's", 0);
		return -1;
	}
	/* the encoder needs rising timestamps; pictures come at the hub's pace */
	if (pts <= h->h_pts)
		pts = h->h_pts + 1;
	h->h_pts = pts;
	return encode_picture(h, pts, idr, au, au_len, err, errlen);
}

int h264_next_nal(const uint8_t *b, size_t len, size_t *pos, const uint8_t **nal, size_t *nal_len)
{
	size_t i = *pos;

	for (;;) {
		size_t start, end;

		/* the next start code (00 00 01; a 4-byte one ends the same way) */
		while (i + 3 <= len && !(b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1))
			i++;
		if (i + 3 > len) {
			*pos = len;
			return 0;
		}
		start = i + 3;
		for (end = start; end + 3 <= len; end++)
			if (b[end] == 0 && b[end + 1] == 0 && (b[end + 2] == 1 || b[end + 2] == 0))
				break;
		if (end + 3 > len)
			end = len;
		i = end;
		/* trailing zeros belong to the next start code */
		while (end > start && b[end - 1] == 0)
			end--;
		if (end > start) {
			*pos = i;
			*nal = b + start;
			*nal_len = end - start;
			return 1;
		}
	}
}

int h264_params(const h264_conf_s *conf, uint8_t sps[H264_PARAM_MAX], size_t *sps_len,
                uint8_t pps[H264_PARAM_MAX], size_t *pps_len, char *err, size_t errlen)
{
	h264_s *h = h264_new(conf, err, errlen);
	const uint8_t *au, *nal;
	size_t au_len, nal_len, pos = 0;
	int rc = -1;

	if (h == NULL)
		return -1;
	for (int p = 0; p < 3; p++)
		memset(h->h_pic->data[p], 128,
		       (size_t)h->h_pic->linesize[p] *
		           (size_t)(p == 0 ? conf->hc_h : conf->hc_h / 2));
	*sps_len = *pps_len = 0;
	if (encode_picture(h, 0, 1, &au, &au_len, err, errlen) == 0) {
		while (h264_next_nal(au, au_len, &pos, &nal, &nal_len)) {
			uint8_t *to = (nal[0] & 0x1f) == 7   ? sps
			              : (nal[0] & 0x1f) == 8 ? pps
			                                     : NULL;
			size_t *tl = to == sps ? sps_len : pps_len;
			if (to != NULL && nal_len <= H264_PARAM_MAX) {
				memcpy(to, nal, nal_len);
				*tl = nal_len;
			}
		}
		if (*sps_len >= 4 && *pps_len > 0)
			rc = 0;
		else
			say(err, errlen, "no SPS or PPS in the first picture", 0);
	}
	h264_free(h);
	return rc;
}
