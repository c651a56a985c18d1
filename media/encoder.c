/* encoder: libavcodec MJPEG (yuvj420p) with a fixed quantiser. */
#include "encoder.h"

#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>

#include <stdio.h>
#include <stdlib.h>

struct encoder {
	AVCodecContext *enc_ctx;
	AVFrame *enc_frame;
	AVPacket *enc_pkt;
	int64_t enc_pts;
};

int encoder_qscale(int quality)
{
	if (quality < 1)
		quality = 1;
	if (quality > 100)
		quality = 100;
	return 2 + ((100 - quality) * 29 + 49) / 99;
}

encoder_s *encoder_new(int w, int h, int fps, int quality, int threads, int bands, char *err,
                       size_t errlen)
{
	const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
	encoder_s *enc;
	int rc;

	if (codec == NULL) {
		snprintf(err, errlen, "encoder: this libavcodec has no MJPEG encoder");
		return NULL;
	}
	enc = calloc(1, sizeof(*enc));
	if (enc == NULL)
		goto nomem;
	enc->enc_ctx = avcodec_alloc_context3(codec);
	enc->enc_frame = av_frame_alloc();
	enc->enc_pkt = av_packet_alloc();
	if (enc->enc_ctx == NULL || enc->enc_frame == NULL || enc->enc_pkt == NULL)
		goto nomem;
	enc->enc_ctx->width = w;
	enc->enc_ctx->height = h;
	enc->enc_ctx->pix_fmt = AV_PIX_FMT_YUVJ420P;
	enc->enc_ctx->color_range = AVCOL_RANGE_JPEG;
	enc->enc_ctx->time_base = (AVRational){1, fps};
	enc->enc_ctx->framerate = (AVRational){fps, 1};
	enc->enc_ctx->flags |= AV_CODEC_FLAG_QSCALE;
	enc->enc_ctx->global_quality = encoder_qscale(quality) * FF_QP2LAMBDA;
	enc->enc_ctx->thread_count = bands && threads < 2 ? 2 : threads;
	enc->enc_ctx->thread_type = FF_THREAD_SLICE;
	if (bands)
		av_opt_set(enc->enc_ctx->priv_data, "huffman", "default", 0);
	if ((rc = avcodec_open2(enc->enc_ctx, codec, NULL)) < 0) {
		char msg[AV_ERROR_MAX_STRING_SIZE];
		av_strerror(rc, msg, sizeof(msg));
		snprintf(err, errlen, "encoder: cannot open MJPEG encoder for %dx%d: %s", w, h,
		         msg);
		encoder_free(enc);
		return NULL;
	}
	enc->enc_frame->format = AV_PIX_FMT_YUVJ420P;
	enc->enc_frame->width = w;
	enc->enc_frame->height = h;
	enc->enc_frame->color_range = AVCOL_RANGE_JPEG;
	return enc;
nomem:
	snprintf(err, errlen, "encoder: out of memory");
	encoder_free(enc);
	return NULL;
}

void encoder_free(encoder_s *enc)
{
	if (enc == NULL)
		return;
	avcodec_free_context(&enc->enc_ctx);
	av_frame_free(&enc->enc_frame);
	av_packet_free(&enc->enc_pkt);
	free(enc);
}

int encoder_encode(encoder_s *enc, const picture_s *pic, const uint8_t **data, size_t *len,
                   char *err, size_t errlen)
{
	AVFrame *f = enc->enc_frame;
	int rc;

	av_packet_unref(enc->enc_pkt);
	/* The frame borrows the picture's planes; libavcodec copies what it keeps. */
	f->data[0] = pic->pic_y;
	f->data[1] = pic->pic_u;
	f->data[2] = pic->pic_v;
	f->linesize[0] = pic->pic_w;
	f->linesize[1] = pic->pic_w / 2;
	f->linesize[2] = pic->pic_w / 2;
	f->quality = enc->enc_ctx->global_quality;
	f->pts = enc->enc_pts++;
	rc = avcodec_send_frame(enc->enc_ctx, f);
	if (rc >= 0)
		rc = avcodec_receive_packet(enc->enc_ctx, enc->enc_pkt);
	if (rc < 0) {
		char msg[AV_ERROR_MAX_STRING_SIZE];
		av_strerror(rc, msg, sizeof(msg));
		snprintf(err, errlen, "encoder: %s", msg);
		return -1;
	}
	*data = enc->enc_pkt->data;
	*len = (size_t)enc->enc_pkt->size;
	return 0;
}

int encoder_segments(const uint8_t *d, size_t n, size_t *seg_start, size_t *seg_end, int max)
{
	size_t i = 2;
	int k = 0;

	if (n < 4 || d[0] != 0xff || d[1] != 0xd8)
		return -1;
	/* Walk the marker segments up to the start of scan. */
	for (;;) {
		size_t len;
		if (i + 4 > n || d[i] != 0xff)
			return -1;
		len = (size_t)d[i + 2] << 8 | d[i + 3];
		if (len < 2 || i + 2 + len > n)
			return -1;
		if (d[i + 1] == 0xda) {
			i += 2 + len;
			break;
		}
		i += 2 + len;
	}
	if (max <= 0)
		return -1;
	seg_start[0] = i;
	/* In entropy-coded data 0xFF is followed by 0x00 (stuffing) or a marker. */
	for (; i + 1 < n; i++) {
		if (d[i] != 0xff || d[i + 1] == 0x00)
			continue;
		if (d[i + 1] >= 0xd0 && d[i + 1] <= 0xd7) {
			if (k + 1 >= max)
				return -1;
			seg_end[k++] = i;
			seg_start[k] = i + 2;
			i++;
		} else if (d[i + 1] == 0xd9) {
			seg_end[k++] = i;
			return k;
		}
	}
	return -1;
}
