/* camera: renders a frame (source, then OSD) and encodes it. */
#include "camera.h"

#include <libavutil/log.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "encoder.h"
#include "overlay.h"
#include "picture.h"
#include "source.h"

#define CAMERA_NAME_MAX 64

struct camera {
	source_s *cam_src;
	overlay_s *cam_ov;
	encoder_s *cam_enc;
	picture_s cam_pic;
	char cam_name[CAMERA_NAME_MAX + 1];
	int cam_margin;
};

camera_s *camera_new(const camera_conf_s *conf, char *err, size_t errlen)
{
	camera_s *cam = calloc(1, sizeof(*cam));

	/* libav* would otherwise print to stderr from inside the media thread. */
	av_log_set_level(AV_LOG_QUIET);
	if (cam == NULL) {
		snprintf(err, errlen, "camera: out of memory");
		return NULL;
	}
	snprintf(cam->cam_name, sizeof(cam->cam_name), "%s", conf->cc_name ? conf->cc_name : "");
	cam->cam_margin = conf->cc_h / 60 + 2;
	if (picture_alloc(&cam->cam_pic, conf->cc_w, conf->cc_h) != 0) {
		snprintf(err, errlen, "camera: bad picture size %dx%d", conf->cc_w, conf->cc_h);
		goto fail;
	}
	cam->cam_src = source_open(conf->cc_video, conf->cc_w, conf->cc_h, err, errlen);
	if (cam->cam_src == NULL)
		goto fail;
	cam->cam_ov = overlay_new(conf->cc_font, conf->cc_h / 26 + 2, err, errlen);
	if (cam->cam_ov == NULL)
		goto fail;
	cam->cam_enc = encoder_new(conf->cc_w, conf->cc_h, conf->cc_fps, conf->cc_quality,
	                           conf->cc_threads, err, errlen);
	if (cam->cam_enc == NULL)
		goto fail;
	return cam;
fail:
	camera_free(cam);
	return NULL;
}

void camera_free(camera_s *cam)
{
	if (cam == NULL)
		return;
	encoder_free(cam->cam_enc);
	overlay_free(cam->cam_ov);
	source_free(cam->cam_src);
	picture_release(&cam->cam_pic);
	free(cam);
}

static void draw_osd(camera_s *cam, int64_t t_ms)
{
	static const overlay_style_s style = {
		.os_fg = {255, 255, 255}, .os_bg = {0, 0, 0}, .os_bg_alpha = 110, .os_shadow = 1, .os_pad = 3,
	};
	char clock[32];
	struct tm tm;
	time_t secs = (time_t)(t_ms / 1000);
	int w, h;

	localtime_r(&secs, &tm);
	strftime(clock, sizeof(clock), "%Y-%m-%d %H:%M:%S", &tm);
	overlay_draw(cam->cam_ov, &cam->cam_pic, cam->cam_margin, cam->cam_margin, clock, &style);
	if (cam->cam_name[0] != '\0') {
		overlay_measure(cam->cam_ov, cam->cam_name, &w, &h);
		overlay_draw(cam->cam_ov, &cam->cam_pic, cam->cam_pic.pic_w - w - cam->cam_margin,
		             cam->cam_pic.pic_h - h - cam->cam_margin, cam->cam_name, &style);
	}
}

int camera_capture(camera_s *cam, int64_t t_ms, const uint8_t **jpeg, size_t *len, char *err,
                   size_t errlen)
{
	if (source_read(cam->cam_src, &cam->cam_pic, t_ms, err, errlen) != 0)
		return -1;
	draw_osd(cam, t_ms);
	return encoder_encode(cam->cam_enc, &cam->cam_pic, jpeg, len, err, errlen);
}
