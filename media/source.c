/* source: the built-in scene, a local video decoded with libavformat/libavcodec and looped,
 * or a live camera (live.c) with the scene as its fallback. */
#include "source.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libswscale/swscale.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "scene.h"

typedef struct {
	AVFormatContext *fi_fmt;
	AVCodecContext *fi_dec;
	struct SwsContext *fi_sws;
	AVFrame *fi_frame;
	AVPacket *fi_pkt;
	int fi_stream;
	AVRational fi_tb;
	int64_t fi_first_pts; /* pts of the first frame, in fi_tb */
	int64_t fi_loop_ms;   /* wall time at which the current loop started */
	int64_t fi_have_ms;   /* media time of the picture held in fi_pic, -1 none */
	int fi_loops;         /* EOFs in a row with no frame: an empty file */
	picture_s fi_pic;     /* last decoded picture, scaled */
} source_file_s;

struct source {
	scene_s *src_scene; /* the picture, or a live camera's fallback */
	source_file_s *src_file;
	live_s *src_live;
	int64_t src_fallback_ms;
	source_state_e src_state;
	int src_w, src_h;
};

static void averr(char *err, size_t errlen, const char *what, const char *path, int rc)
{
	char msg[AV_ERROR_MAX_STRING_SIZE];

	av_strerror(rc, msg, sizeof(msg));
	snprintf(err, errlen, "video: %s %s: %s", what, path, msg);
}

static void file_free(source_file_s *fi)
{
	if (fi == NULL)
		return;
	avformat_close_input(&fi->fi_fmt);
	avcodec_free_context(&fi->fi_dec);
	sws_freeContext(fi->fi_sws);
	av_frame_free(&fi->fi_frame);
	av_packet_free(&fi->fi_pkt);
	picture_release(&fi->fi_pic);
	free(fi);
}

/* Decodes the next frame into fi_pic. 1 = got one, 0 = end of file, -1 = error. */
static int file_decode_next(source_file_s *fi, char *err, size_t errlen)
{
	int rc;

	for (;;) {
		rc = avcodec_receive_frame(fi->fi_dec, fi->fi_frame);
		if (rc == 0) {
			AVFrame *f = fi->fi_frame;
			uint8_t *dst[4] = {fi->fi_pic.pic_y, fi->fi_pic.pic_u, fi->fi_pic.pic_v,
			                   NULL};
			int dst_ls[4] = {fi->fi_pic.pic_w, fi->fi_pic.pic_w / 2,
			                 fi->fi_pic.pic_w / 2, 0};
			int64_t pts = f->best_effort_timestamp;

			fi->fi_sws = sws_getCachedContext(
			    fi->fi_sws, f->width, f->height, f->format, fi->fi_pic.pic_w,
			    fi->fi_pic.pic_h, AV_PIX_FMT_YUVJ420P, SWS_BILINEAR, NULL, NULL, NULL);
			if (fi->fi_sws == NULL) {
				snprintf(err, errlen, "video: cannot scale %dx%d frames", f->width,
				         f->height);
				return -1;
			}
			sws_scale(fi->fi_sws, (const uint8_t *const *)f->data, f->linesize, 0,
			          f->height, dst, dst_ls);
			if (pts == AV_NOPTS_VALUE)
				pts = fi->fi_first_pts;
			if (fi->fi_first_pts == AV_NOPTS_VALUE)
				fi->fi_first_pts = pts;
			fi->fi_have_ms =
			    av_rescale_q(pts - fi->fi_first_pts, fi->fi_tb, (AVRational){1, 1000});
			av_frame_unref(f);
			return 1;
		}
		if (rc == AVERROR_EOF)
			return 0;
		if (rc != AVERROR(EAGAIN)) {
			snprintf(err, errlen, "video: decoding failed");
			return -1;
		}
		rc = av_read_frame(fi->fi_fmt, fi->fi_pkt);
		if (rc == AVERROR_EOF) {
			avcodec_send_packet(fi->fi_dec, NULL); /* drain */
			continue;
		}
		if (rc < 0) {
			snprintf(err, errlen, "video: read failed");
			return -1;
		}
		if (fi->fi_pkt->stream_index == fi->fi_stream)
			rc = avcodec_send_packet(fi->fi_dec, fi->fi_pkt);
		av_packet_unref(fi->fi_pkt);
		if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_INVALIDDATA) {
			snprintf(err, errlen, "video: decoder rejected a packet");
			return -1;
		}
	}
}

static int file_rewind(source_file_s *fi)
{
	if (av_seek_frame(fi->fi_fmt, fi->fi_stream, 0, AVSEEK_FLAG_BACKWARD) < 0 &&
	    avformat_seek_file(fi->fi_fmt, -1, INT64_MIN, 0, INT64_MAX, 0) < 0)
		return -1;
	avcodec_flush_buffers(fi->fi_dec);
	return 0;
}

static source_file_s *file_open(const char *path, int w, int h, char *err, size_t errlen)
{
	source_file_s *fi = calloc(1, sizeof(*fi));
	AVDictionary *opts = NULL;
	const AVCodec *codec = NULL;
	AVStream *st;
	int rc;

	if (fi == NULL) {
		snprintf(err, errlen, "video: out of memory");
		return NULL;
	}
	fi->fi_first_pts = AV_NOPTS_VALUE;
	fi->fi_have_ms = -1;
	/* Local files only: a playlist must not make us fetch URLs. */
	av_dict_set(&opts, "protocol_whitelist", "file", 0);
	rc = avformat_open_input(&fi->fi_fmt, path, NULL, &opts);
	av_dict_free(&opts);
	if (rc < 0) {
		averr(err, errlen, "cannot open", path, rc);
		goto fail;
	}
	if ((rc = avformat_find_stream_info(fi->fi_fmt, NULL)) < 0) {
		averr(err, errlen, "cannot read streams of", path, rc);
		goto fail;
	}
	rc = av_find_best_stream(fi->fi_fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
	if (rc < 0 || codec == NULL) {
		snprintf(err, errlen, "video: %s has no decodable video stream", path);
		goto fail;
	}
	fi->fi_stream = rc;
	st = fi->fi_fmt->streams[rc];
	fi->fi_tb = st->time_base;
	fi->fi_dec = avcodec_alloc_context3(codec);
	fi->fi_frame = av_frame_alloc();
	fi->fi_pkt = av_packet_alloc();
	if (fi->fi_dec == NULL || fi->fi_frame == NULL || fi->fi_pkt == NULL ||
	    picture_alloc(&fi->fi_pic, w, h) != 0) {
		snprintf(err, errlen, "video: out of memory");
		goto fail;
	}
	if (avcodec_parameters_to_context(fi->fi_dec, st->codecpar) < 0 ||
	    (rc = avcodec_open2(fi->fi_dec, codec, NULL)) < 0) {
		snprintf(err, errlen, "video: cannot open the %s decoder for %s", codec->name,
		         path);
		goto fail;
	}
	rc = file_decode_next(fi, err, errlen);
	if (rc == 0)
		snprintf(err, errlen, "video: %s contains no decodable frame", path);
	if (rc <= 0)
		goto fail;
	return fi;
fail:
	file_free(fi);
	return NULL;
}

static int file_read(source_file_s *fi, picture_s *out, int64_t t_ms, char *err, size_t errlen)
{
	int64_t media_ms;

	if (fi->fi_loop_ms == 0)
		fi->fi_loop_ms = t_ms;
	media_ms = t_ms - fi->fi_loop_ms;
	/* Decode forward until the held picture is the one due now. Bounded: at
	 * most a few hundred frames per call even when the clock jumped. */
	for (int guard = 0; guard < 300 && fi->fi_have_ms < media_ms; guard++) {
		int rc = file_decode_next(fi, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (++fi->fi_loops > 2 || file_rewind(fi) != 0) {
				snprintf(err, errlen, "video: cannot loop the file");
				return -1;
			}
			fi->fi_loop_ms = t_ms;
			fi->fi_first_pts = AV_NOPTS_VALUE;
			media_ms = 0;
			fi->fi_have_ms = -1;
			continue;
		}
		fi->fi_loops = 0;
	}
	picture_copy(out, &fi->fi_pic);
	return 0;
}

source_s *source_open(const source_conf_s *conf, char *err, size_t errlen)
{
	source_s *src = calloc(1, sizeof(*src));
	const char *video = conf->so_video;
	int w = conf->so_w, h = conf->so_h;

	if (src == NULL) {
		snprintf(err, errlen, "source: out of memory");
		return NULL;
	}
	src->src_w = w;
	src->src_h = h;
	src->src_fallback_ms = conf->so_fallback_ms > 0 ? conf->so_fallback_ms : 10000;
	if (video == NULL || video[0] == '\0' || live_is_url(video))
		src->src_scene = scene_new(w, h, conf->so_scene, conf->so_daynight, err, errlen);
	if (src->src_scene != NULL && live_is_url(video)) {
		src->src_live = live_open(video, w, h, err, errlen);
		src->src_state = SOURCE_FALLBACK; /* until the first frame */
		if (src->src_live == NULL) {
			scene_free(src->src_scene);
			free(src);
			return NULL;
		}
	} else if (video != NULL && video[0] != '\0' && !live_is_url(video)) {
		src->src_file = file_open(video, w, h, err, errlen);
	}
	if (src->src_scene == NULL && src->src_file == NULL) {
		free(src);
		return NULL;
	}
	return src;
}

void source_free(source_s *src)
{
	if (src == NULL)
		return;
	live_free(src->src_live);
	scene_free(src->src_scene);
	file_free(src->src_file);
	free(src);
}

int source_read(source_s *src, picture_s *out, int64_t t_ms, int *night, char *err, size_t errlen)
{
	*night = 0;
	if (src->src_live != NULL) {
		/* the camera's latest frame; held while it is away, then the room */
		int64_t age;
		if (live_latest(src->src_live, out, src->src_fallback_ms, &age)) {
			__atomic_store_n(&src->src_state,
			                 age <= SOURCE_LIVE_AGE_MS ? SOURCE_LIVE : SOURCE_HELD,
			                 __ATOMIC_RELAXED);
			return 0;
		}
		__atomic_store_n(&src->src_state, SOURCE_FALLBACK, __ATOMIC_RELAXED);
	}
	if (src->src_scene != NULL) {
		*night = scene_render(src->src_scene, out, t_ms);
		return 0;
	}
	return file_read(src->src_file, out, t_ms, err, errlen);
}

int source_note_quad(const source_s *src, double quad[8])
{
	if (src->src_scene == NULL || src->src_live != NULL)
		return -1;
	scene_note_quad(src->src_scene, quad);
	return 0;
}

void source_status(source_s *src, source_status_s *st)
{
	memset(st, 0, sizeof(*st));
	st->ss_live = src->src_live != NULL;
	st->ss_state = __atomic_load_n(&src->src_state, __ATOMIC_RELAXED); /* the media thread's */
	if (src->src_live != NULL) {
		live_stats_s ls;
		live_stats(src->src_live, &ls);
		st->ss_frames = ls.ls_frames;
		st->ss_connects = ls.ls_connects;
		st->ss_failures = ls.ls_failures;
		snprintf(st->ss_error, sizeof(st->ss_error), "%s", ls.ls_error);
	}
}
