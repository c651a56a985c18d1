/* live: the reader thread of a live camera: open, decode, scale, hand over
 * the latest frame; on any failure close, wait (0.5 s doubling to 8 s) and
 * open again. */
#include "live.h"

#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libswscale/swscale.h>

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIVE_IO_TIMEOUT_MS 5000 /* a read that hangs this long is a failure */
#define LIVE_BACKOFF_MIN   500
#define LIVE_BACKOFF_MAX   8000
#define LIVE_IDLE_MS       2000 /* nobody asked for this long: packets read, not decoded */

typedef enum { KIND_HTTP, KIND_RTSP, KIND_V4L2 } live_kind_e;

struct live {
	char *lv_url;
	live_kind_e lv_kind;
	int lv_w, lv_h;
	pthread_t lv_thread;
	pthread_mutex_t lv_lock;
	pthread_cond_t lv_cond;
	int lv_stop, lv_started, lv_inited; /* inited: lv_lock and lv_cond exist */
	picture_s lv_pic;                   /* the latest frame (under lv_lock) */
	int64_t lv_pic_at;                  /* when it arrived (monotonic ms), 0: none yet */
	int64_t lv_wanted_at;               /* when a frame was last asked for */
	int64_t lv_deadline;                /* the interrupt callback's: the current I/O's end */
	live_stats_s lv_st;
	picture_s lv_back; /* the reader's own */
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int live_is_url(const char *video)
{
	return video != NULL &&
	       (strncmp(video, "http://", 7) == 0 || strncmp(video, "https://", 8) == 0 ||
	        strncmp(video, "rtsp://", 7) == 0 || strncmp(video, "/dev/video", 10) == 0);
}

void live_redact(const char *url, char *out, size_t cap)
{
	const char *scheme = strstr(url, "://"), *at = NULL;
	size_t n = 0;

	if (scheme != NULL) {
		const char *host = scheme + 3, *end = host + strcspn(host, "/?#");
		for (const char *p = host; p < end; p++)
			if (*p == '@')
				at = p;
	}
	for (const char *p = url; *p && n + 1 < cap && n < 200; p++) {
		if (at != NULL && p == scheme + 3) { /* user:password@ left out */
			p = at;
			continue;
		}
		out[n++] = *p >= 0x20 && *p < 0x7f ? *p : '?';
	}
	out[n] = '\0';
}

static void set_error(live_s *lv, const char *what, int rc)
{
	char msg[AV_ERROR_MAX_STRING_SIZE] = "";

	if (rc != 0)
		av_strerror(rc, msg, sizeof(msg));
	pthread_mutex_lock(&lv->lv_lock);
	snprintf(lv->lv_st.ls_error, sizeof(lv->lv_st.ls_error), "%s%s%s", what, msg[0] ? ": " : "",
	         msg);
	for (char *p = lv->lv_st.ls_error; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			*p = '?';
	lv->lv_st.ls_failures++;
	lv->lv_st.ls_up = 0;
	pthread_mutex_unlock(&lv->lv_lock);
}

/* libavformat asks this during every blocking call: 1 stops it. */
static int interrupted(void *arg)
{
	live_s *lv = arg;
	int stop;

	pthread_mutex_lock(&lv->lv_lock);
	stop = lv->lv_stop;
	pthread_mutex_unlock(&lv->lv_lock);
	return stop || mono_ms() > lv->lv_deadline;
}

/* One connection: opened, read until it fails or we stop. */
static void session(live_s *lv, int64_t *backoff)
{
	AVFormatContext *fmt = avformat_alloc_context();
	AVDictionary *opts = NULL;
	const AVInputFormat *in = NULL;
	const AVCodec *codec = NULL;
	AVCodecContext *dec = NULL;
	AVFrame *frame = av_frame_alloc();
	AVPacket *pkt = av_packet_alloc();
	struct SwsContext *sws = NULL;
	int rc, stream;

	if (fmt == NULL || frame == NULL || pkt == NULL) {
		set_error(lv, "out of memory", 0);
		goto out;
	}
	fmt->interrupt_callback = (AVIOInterruptCB){interrupted, lv};
	/* each kind of source speaks its protocols and nothing else: an
	 * upstream cannot redirect us to a file or another scheme */
	if (lv->lv_kind == KIND_HTTP) {
		av_dict_set(&opts, "protocol_whitelist", "http,https,tcp,tls", 0);
		av_dict_set(&opts, "rw_timeout", "5000000", 0);
	} else if (lv->lv_kind == KIND_RTSP) {
		av_dict_set(&opts, "protocol_whitelist", "rtsp,rtp,udp,tcp", 0);
		av_dict_set(&opts, "rtsp_transport", "tcp", 0);
		av_dict_set(&opts, "timeout", "5000000", 0);
	} else {
		av_dict_set(&opts, "protocol_whitelist", "file", 0);
		in = av_find_input_format("v4l2");
	}
	av_dict_set(&opts, "probesize", "1000000", 0);
	av_dict_set(&opts, "analyzeduration", "1000000", 0);
	lv->lv_deadline = mono_ms() + LIVE_IO_TIMEOUT_MS;
	rc = avformat_open_input(&fmt, lv->lv_url, in, &opts);
	av_dict_free(&opts);
	if (rc < 0) {
		set_error(lv, "cannot open", rc);
		goto out;
	}
	lv->lv_deadline = mono_ms() + LIVE_IO_TIMEOUT_MS;
	if ((rc = avformat_find_stream_info(fmt, NULL)) < 0 ||
	    (stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0)) < 0 ||
	    codec == NULL) {
		set_error(lv, "no video stream", rc < 0 ? rc : 0);
		goto out;
	}
	if ((dec = avcodec_alloc_context3(codec)) == NULL ||
	    avcodec_parameters_to_context(dec, fmt->streams[stream]->codecpar) < 0 ||
	    (rc = avcodec_open2(dec, codec, NULL)) < 0) {
		set_error(lv, "cannot open its decoder", 0);
		goto out;
	}
	pthread_mutex_lock(&lv->lv_lock);
	lv->lv_st.ls_connects++;
	lv->lv_st.ls_up = 1;
	pthread_mutex_unlock(&lv->lv_lock);
	for (;;) {
		lv->lv_deadline = mono_ms() + LIVE_IO_TIMEOUT_MS;
		if ((rc = av_read_frame(fmt, pkt)) < 0) {
			set_error(lv, rc == AVERROR_EOF ? "the upstream ended" : "read failed",
			          rc == AVERROR_EOF ? 0 : rc);
			goto out;
		}
		pthread_mutex_lock(&lv->lv_lock);
		/* decoded while someone watches, and once a second anyway: the
		 * first viewer after a quiet spell sees the camera, not the
		 * fallback */
		int64_t now = mono_ms();
		int wanted = now - lv->lv_wanted_at < LIVE_IDLE_MS || now - lv->lv_pic_at >= 1000;
		int stop = lv->lv_stop;
		pthread_mutex_unlock(&lv->lv_lock);
		if (stop)
			goto out;
		if (pkt->stream_index != stream || !wanted) { /* read, so the upstream goes on */
			av_packet_unref(pkt);
			continue;
		}
		rc = avcodec_send_packet(dec, pkt);
		av_packet_unref(pkt);
		if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_INVALIDDATA) {
			set_error(lv, "the decoder rejected a packet", rc);
			goto out;
		}
		while (avcodec_receive_frame(dec, frame) == 0) {
			uint8_t *dst[4] = {lv->lv_back.pic_y, lv->lv_back.pic_u, lv->lv_back.pic_v,
			                   NULL};
			int ls[4] = {lv->lv_w, lv->lv_w / 2, lv->lv_w / 2, 0};
			sws = sws_getCachedContext(sws, frame->width, frame->height, frame->format,
			                           lv->lv_w, lv->lv_h, AV_PIX_FMT_YUVJ420P,
			                           SWS_BILINEAR, NULL, NULL, NULL);
			if (sws == NULL || frame->width < 2 || frame->height < 2) {
				av_frame_unref(frame);
				set_error(lv, "cannot scale its frames", 0);
				goto out;
			}
			sws_scale(sws, (const uint8_t *const *)frame->data, frame->linesize, 0,
			          frame->height, dst, ls);
			av_frame_unref(frame);
			pthread_mutex_lock(&lv->lv_lock);
			picture_s t = lv->lv_pic;
			lv->lv_pic = lv->lv_back;
			lv->lv_back = t;
			lv->lv_pic_at = mono_ms();
			lv->lv_st.ls_frames++;
			pthread_mutex_unlock(&lv->lv_lock);
			*backoff = LIVE_BACKOFF_MIN; /* it works: a later failure starts over */
		}
	}
out:
	sws_freeContext(sws);
	avcodec_free_context(&dec);
	av_frame_free(&frame);
	av_packet_free(&pkt);
	avformat_close_input(&fmt);
	avformat_free_context(fmt);
}

static void *reader(void *arg)
{
	live_s *lv = arg;
	int64_t backoff = LIVE_BACKOFF_MIN;

	for (;;) {
		session(lv, &backoff);
		pthread_mutex_lock(&lv->lv_lock);
		lv->lv_st.ls_up = 0;
		int64_t until = mono_ms() + backoff;
		while (!lv->lv_stop && mono_ms() < until) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_nsec += 100 * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&lv->lv_cond, &lv->lv_lock, &ts);
		}
		int stop = lv->lv_stop;
		pthread_mutex_unlock(&lv->lv_lock);
		if (stop)
			return NULL;
		backoff = backoff * 2 > LIVE_BACKOFF_MAX ? LIVE_BACKOFF_MAX : backoff * 2;
	}
}

/* libavdevice (V4L2) is loaded only when a camera device is the source: it
 * brings about 80 more libraries (X11, SDL, PulseAudio...), and every start
 * of the decoy paid for loading them (a third of its start-up). Without it
 * the device does not open, and the reader says so. */
static void register_devices(void)
{
	static const char soname[] = "libavdevice.so." AV_STRINGIFY(LIBAVDEVICE_VERSION_MAJOR);
	void *lib = dlopen(soname, RTLD_NOW | RTLD_GLOBAL);
	void (*fn)(void) = NULL;

	if (lib != NULL)
		*(void **)&fn = dlsym(lib, "avdevice_register_all");
	if (fn != NULL)
		fn();
}

live_s *live_open(const char *url, int w, int h, char *err, size_t errlen)
{
	live_s *lv;
	pthread_condattr_t ca;

	if (!live_is_url(url) || strlen(url) > 2048 || strpbrk(url, " \t\r\n") != NULL) {
		snprintf(err, errlen,
		         "video: not a camera URL or device (http://, https://, rtsp://, "
		         "/dev/videoN)");
		return NULL;
	}
	if ((lv = calloc(1, sizeof(*lv))) == NULL || (lv->lv_url = strdup(url)) == NULL ||
	    picture_alloc(&lv->lv_pic, w, h) != 0 || picture_alloc(&lv->lv_back, w, h) != 0) {
		snprintf(err, errlen, "video: out of memory");
		live_free(lv);
		return NULL;
	}
	lv->lv_kind = strncmp(url, "rtsp://", 7) == 0       ? KIND_RTSP
	              : strncmp(url, "/dev/video", 10) == 0 ? KIND_V4L2
	                                                    : KIND_HTTP;
	lv->lv_w = w;
	lv->lv_h = h;
	lv->lv_wanted_at = mono_ms();
	avformat_network_init();
	if (lv->lv_kind == KIND_V4L2)
		register_devices();
	pthread_mutex_init(&lv->lv_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&lv->lv_cond, &ca);
	pthread_condattr_destroy(&ca);
	lv->lv_inited = 1;
	if ((errno = pthread_create(&lv->lv_thread, NULL, reader, lv)) != 0) {
		snprintf(err, errlen, "video: cannot start its reader: %s", strerror(errno));
		live_free(lv);
		return NULL;
	}
	pthread_setname_np(lv->lv_thread, "camdecoy-live");
	lv->lv_started = 1;
	return lv;
}

void live_free(live_s *lv)
{
	if (lv == NULL)
		return;
	if (lv->lv_started) {
		pthread_mutex_lock(&lv->lv_lock);
		lv->lv_stop = 1;
		pthread_cond_signal(&lv->lv_cond);
		pthread_mutex_unlock(&lv->lv_lock);
		pthread_join(lv->lv_thread, NULL);
	}
	if (lv->lv_inited) {
		pthread_mutex_destroy(&lv->lv_lock);
		pthread_cond_destroy(&lv->lv_cond);
	}
	picture_release(&lv->lv_pic);
	picture_release(&lv->lv_back);
	free(lv->lv_url);
	free(lv);
}

int live_latest(live_s *lv, picture_s *out, int64_t max_age_ms, int64_t *age_ms)
{
	int64_t now = mono_ms();
	int got = 0;

	pthread_mutex_lock(&lv->lv_lock);
	lv->lv_wanted_at = now;
	*age_ms = lv->lv_pic_at > 0 ? now - lv->lv_pic_at : INT64_MAX;
	if (lv->lv_pic_at > 0 && now - lv->lv_pic_at <= max_age_ms) {
		picture_copy(out, &lv->lv_pic);
		got = 1;
	}
	pthread_mutex_unlock(&lv->lv_lock);
	return got;
}

void live_stats(live_s *lv, live_stats_s *st)
{
	pthread_mutex_lock(&lv->lv_lock);
	*st = lv->lv_st;
	pthread_mutex_unlock(&lv->lv_lock);
}
