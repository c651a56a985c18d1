/* camera: renders a frame (source, then OSD) and encodes it. */
#include "camera.h"

#include <libavutil/log.h>

#include <pthread.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "encoder.h"
#include "note.h"
#include "overlay.h"
#include "picture.h"
#include "source.h"

#define CAMERA_NAME_MAX  64
#define CAMERA_NOTE_MAX  96
#define CAMERA_BAND      16
#define CAMERA_MAX_BANDS 128

struct camera {
	source_s *cam_src;
	overlay_s *cam_ov;
	encoder_s *cam_enc;
	picture_s cam_pic;
	char cam_name[CAMERA_NAME_MAX + 1];
	int cam_margin;
	camera_osd_s cam_osd;
	/* note */
	int cam_note, cam_note_x, cam_note_band0, cam_note_bands;
	char cam_note_label[CAMERA_NOTE_MAX + 1];
	char cam_note_text[CAMERA_NOTE_MAX + 1]; /* "" in per-viewer mode */
	char cam_note_wide[CAMERA_NOTE_MAX + 1]; /* sizes the paper: the widest second line */
	int cam_per_viewer;
	overlay_s *cam_note_ov;
	note_s *cam_sheet; /* the note on the scene's sheet, in its perspective; NULL: flat */
	pthread_mutex_t cam_band_lock;
	picture_s cam_band_bg; /* the note bands of the latest frame, before the note */
	int cam_band_valid;
	picture_s cam_band_pic; /* camera_note's working copy */
	encoder_s *cam_band_enc;
	/* The note's overlay, working copy and encoder are one each: request
	 * threads issuing notes at once (and the media thread drawing the
	 * shared frame's note) take turns. Without it two viewers starting
	 * together shared one encoder's packet (a NULL JPEG, found by
	 * t_slowloris under UBSan). */
	pthread_mutex_t cam_note_lock;
	int cam_band_night;    /* the note of the latest frame is under IR light (cam_band_lock) */
	uint64_t cam_band_gen; /* captures so far: the age of a viewer's note (cam_band_lock) */
};

/* Viewers' notes redrawn on the live bands, all viewers together, per frame
 * at most (about), and each at most every other frame: one or a few
 * viewers' notes every other frame (grain that holds for 0.2 s at 10 fps
 * is not seen), 8 viewers' every 4th, 500 viewers' each every 250th. A
 * redraw costs about 0.2 ms (its bands encoded again; bench_trap.sh: per-
 * viewer mode 1.05x, 1.24x and 1.06x static mode's CPU at 8, 50 and 500
 * viewers with 2 a frame, 1.60x and 1.44x at 8 and 50 with 4); a note
 * not redrawn keeps the rows it was drawn on. */
#define CAMERA_NOTE_RENEWS 2
#define CAMERA_NOTE_EVERY  2

static const overlay_style_s note_style = {
    .os_fg = {25, 25, 70},
    .os_bg = {250, 232, 110},
    .os_bg_alpha = 256,
    .os_shadow = 0,
    .os_pad = 4,
};

/* What the decoy drew before the personas had their own. */
static const camera_osd_s default_osd = {
    .osd_clock = OSD_CLOCK_ISO,
    .osd_clock_at = OSD_TOP_LEFT,
    .osd_name = 1,
    .osd_name_at = OSD_BOTTOM_RIGHT,
    .osd_dress = OSD_BOX,
    .osd_glyph_div = 26,
    .osd_fg = {255, 255, 255},
};

static encoder_s *camera_encoder(const camera_conf_s *conf, int h, int bands, char *err,
                                 size_t errlen)
{
	const encoder_conf_s ec = {.ec_w = conf->cc_w,
	                           .ec_h = h,
	                           .ec_quality = conf->cc_quality,
	                           .ec_sub = conf->cc_sub,
	                           .ec_jfif_minor = conf->cc_jfif_minor ? conf->cc_jfif_minor : 1,
	                           .ec_bands = bands};
	return encoder_new(&ec, err, errlen);
}

/* Places the note on whole 16-row bands and prepares the band encoder. */
static int note_setup(camera_s *cam, const camera_conf_s *conf, char *err, size_t errlen)
{
	int w, h, top;

	cam->cam_note = 1;
	cam->cam_per_viewer = conf->cc_note_text == NULL;
	snprintf(cam->cam_note_label, sizeof(cam->cam_note_label), "%s",
	         conf->cc_note_label ? conf->cc_note_label : "");
	snprintf(cam->cam_note_text, sizeof(cam->cam_note_text), "%s",
	         conf->cc_note_text ? conf->cc_note_text : "");
	cam->cam_note_ov =
	    overlay_new(conf->cc_note_font != NULL ? conf->cc_note_font : conf->cc_font,
	                conf->cc_h / 28 + 1, err, errlen);
	if (cam->cam_note_ov == NULL)
		return -1;
	/* Measure with the widest text a credential can have. */
	char widest[160];
	snprintf(widest, sizeof(widest), "%s\nX",
	         conf->cc_note_widest != NULL ? conf->cc_note_widest : "supervisor / Thunder888#");
	snprintf(cam->cam_note_wide, sizeof(cam->cam_note_wide), "%s",
	         conf->cc_note_text != NULL     ? conf->cc_note_text
	         : conf->cc_note_widest != NULL ? conf->cc_note_widest
	                                        : "supervisor / Thunder888#");
	overlay_measure(cam->cam_note_ov, widest, &w, &h);
	cam->cam_note_x = conf->cc_note_x;
	cam->cam_note_band0 = conf->cc_note_y / CAMERA_BAND;
	cam->cam_note_bands = (h + 2 * note_style.os_pad + 2 + CAMERA_BAND - 1) / CAMERA_BAND;
	double quad[8];
	if (source_note_quad(cam->cam_src, quad) == 0) {
		/* the scene's own sheet; in a picture too small to write on it
		 * legibly, the flat note */
		char sheet[2 * CAMERA_NOTE_MAX + 2];
		snprintf(sheet, sizeof(sheet), "%s\n%s", cam->cam_note_label, cam->cam_note_wide);
		cam->cam_sheet =
		    note_new(conf->cc_note_font != NULL ? conf->cc_note_font : conf->cc_font, quad,
		             sheet, err, errlen);
	}
	if (cam->cam_sheet != NULL) {
		/* the bands are the rows the sheet covers */
		int y0, y1;
		note_rows(cam->cam_sheet, &y0, &y1);
		cam->cam_note_x = note_style.os_pad;
		w = 0;
		cam->cam_note_band0 = (y0 < 0 ? 0 : y0) / CAMERA_BAND;
		cam->cam_note_bands = (y1 + CAMERA_BAND - 1) / CAMERA_BAND - cam->cam_note_band0;
	}
	top = cam->cam_note_band0 * CAMERA_BAND;
	if (cam->cam_note_x < note_style.os_pad ||
	    cam->cam_note_x + w + note_style.os_pad > conf->cc_w ||
	    top + cam->cam_note_bands * CAMERA_BAND > conf->cc_h - CAMERA_BAND) {
		snprintf(err, errlen, "note: a %dx%d note does not fit at %d,%d in %dx%d", w, h,
		         conf->cc_note_x, conf->cc_note_y, conf->cc_w, conf->cc_h);
		return -1;
	}
	if (!cam->cam_per_viewer)
		return 0;
	if (picture_alloc(&cam->cam_band_bg, conf->cc_w, cam->cam_note_bands * CAMERA_BAND) != 0 ||
	    picture_alloc(&cam->cam_band_pic, conf->cc_w, cam->cam_note_bands * CAMERA_BAND) != 0) {
		snprintf(err, errlen, "note: out of memory");
		return -1;
	}
	cam->cam_band_enc = camera_encoder(conf, cam->cam_note_bands * CAMERA_BAND, 1, err, errlen);
	return cam->cam_band_enc != NULL ? 0 : -1;
}

/* The note as a paper stuck in the scene: a shadow below and to the right,
 * paper a little lighter at the top, a strip of tape; under the IR light
 * the paper is grey and bright (paper reflects IR), the text as dark. The
 * text itself stays crisp: a person and tesseract read it as before. */
static void draw_note(const camera_s *cam, picture_s *pic, int top, const char *text, int night)
{
	char body[2 * CAMERA_NOTE_MAX + 2];
	overlay_style_s st = note_style;
	int w, h, pad = note_style.os_pad, x = cam->cam_note_x - pad, y = top + 1;

	if (cam->cam_sheet != NULL) {
		/* the sheet is in the picture already: only the writing */
		if (text[0] == '\0')
			return;
		snprintf(body, sizeof(body), "%s\n%s", cam->cam_note_label, text);
		note_draw(cam->cam_sheet, pic, cam->cam_note_band0 * CAMERA_BAND - top, body,
		          night);
		return;
	}
	snprintf(body, sizeof(body), "%s\n%s", cam->cam_note_label, cam->cam_note_wide);
	overlay_measure(cam->cam_note_ov, body, &w, &h);
	w += 4 * pad; /* room on the right: text that ends at an edge reads as "|" to OCR */
	h += 2 * pad;
	picture_shade_rect(pic, x + 3, y + 3, w, h, 60); /* its shadow */
	for (int row = 0; row < h; row++) {
		/* paper: warmer and darker towards the bottom */
		int k = row * 24 / (h > 1 ? h : 1);
		if (night)
			picture_fill_rect(pic, x, y + row, w, 1, 214 - k, 214 - k, 214 - k);
		else
			picture_fill_rect(pic, x, y + row, w, 1, note_style.os_bg[0] - k / 3,
			                  note_style.os_bg[1] - k, note_style.os_bg[2] - k);
	}
	picture_fill_rect(pic, x + w / 3, y - 2, w / 3, 5, night ? 180 : 226, night ? 180 : 228,
	                  night ? 180 : 220); /* tape */
	snprintf(body, sizeof(body), "%s\n%s", cam->cam_note_label, text);
	st.os_bg_alpha = 0;
	if (night)
		st.os_fg[0] = st.os_fg[1] = st.os_fg[2] = 30;
	overlay_draw(cam->cam_note_ov, pic, cam->cam_note_x, top + note_style.os_pad + 1, body,
	             &st);
}

/* Copies band rows between a full picture and a band picture (both ways). */
static void copy_bands(picture_s *dst, int dst_row, const picture_s *src, int src_row, int rows)
{
	int w = src->pic_w;

	memcpy(dst->pic_y + (size_t)dst_row * w, src->pic_y + (size_t)src_row * w,
	       (size_t)rows * w);
	memcpy(dst->pic_u + (size_t)dst_row / 2 * (w / 2),
	       src->pic_u + (size_t)src_row / 2 * (w / 2), (size_t)rows / 2 * (w / 2));
	memcpy(dst->pic_v + (size_t)dst_row / 2 * (w / 2),
	       src->pic_v + (size_t)src_row / 2 * (w / 2), (size_t)rows / 2 * (w / 2));
}

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
	cam->cam_osd = conf->cc_osd != NULL ? *conf->cc_osd : default_osd;
	if (cam->cam_osd.osd_glyph_div < 8 || cam->cam_osd.osd_glyph_div > 80) {
		snprintf(err, errlen, "camera: OSD glyph divisor %d out of range 8..80",
		         cam->cam_osd.osd_glyph_div);
		goto fail;
	}
	if (picture_alloc(&cam->cam_pic, conf->cc_w, conf->cc_h) != 0) {
		snprintf(err, errlen, "camera: bad picture size %dx%d", conf->cc_w, conf->cc_h);
		goto fail;
	}
	const source_conf_s so = {.so_video = conf->cc_video,
	                          .so_w = conf->cc_w,
	                          .so_h = conf->cc_h,
	                          .so_scene = conf->cc_scene,
	                          .so_daynight = conf->cc_daynight,
	                          .so_fallback_ms = conf->cc_fallback_ms};
	cam->cam_src = source_open(&so, err, errlen);
	if (cam->cam_src == NULL)
		goto fail;
	cam->cam_ov =
	    overlay_new(conf->cc_font, conf->cc_h / cam->cam_osd.osd_glyph_div + 2, err, errlen);
	if (cam->cam_ov == NULL)
		goto fail;
	pthread_mutex_init(&cam->cam_band_lock, NULL);
	pthread_mutex_init(&cam->cam_note_lock, NULL);
	if (conf->cc_note && note_setup(cam, conf, err, errlen) != 0)
		goto fail;
	cam->cam_enc = camera_encoder(conf, conf->cc_h, cam->cam_per_viewer, err, errlen);
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
	encoder_free(cam->cam_band_enc);
	overlay_free(cam->cam_note_ov);
	note_free(cam->cam_sheet);
	picture_release(&cam->cam_band_bg);
	picture_release(&cam->cam_band_pic);
	pthread_mutex_destroy(&cam->cam_band_lock);
	pthread_mutex_destroy(&cam->cam_note_lock);
	overlay_free(cam->cam_ov);
	source_free(cam->cam_src);
	picture_release(&cam->cam_pic);
	free(cam);
}

static void osd_clock(osd_clock_e fmt, const struct tm *tm, char *out, size_t cap)
{
	size_t n;

	switch (fmt) {
	case OSD_CLOCK_SLASH:
		n = strftime(out, cap, "%Y/%m/%d %H:%M:%S", tm);
		break;
	case OSD_CLOCK_US_WEEKDAY:
		n = strftime(out, cap, "%m-%d-%Y %a %H:%M:%S", tm);
		break;
	default:
		n = strftime(out, cap, "%Y-%m-%d %H:%M:%S", tm);
		break;
	}
	if (n == 0 && cap > 0)
		out[0] = '\0';
}

/* Where a w x h text block goes in a corner, inside the margin. */
static void osd_place(const camera_s *cam, osd_corner_e at, int w, int h, int *x, int *y)
{
	int m = cam->cam_margin;

	*x = at == OSD_TOP_LEFT || at == OSD_BOTTOM_LEFT ? m : cam->cam_pic.pic_w - w - m;
	*y = at == OSD_TOP_LEFT || at == OSD_TOP_RIGHT ? m : cam->cam_pic.pic_h - h - m;
}

static void draw_osd(camera_s *cam, int64_t t_ms)
{
	const camera_osd_s *osd = &cam->cam_osd;
	overlay_style_s style = {
	    .os_fg = {osd->osd_fg[0], osd->osd_fg[1], osd->osd_fg[2]},
	    .os_bg = {0, 0, 0},
	    .os_bg_alpha = osd->osd_dress == OSD_BOX ? 110 : 0,
	    .os_shadow = osd->osd_dress != OSD_BAR,
	    .os_pad = 3,
	};
	char clock[64 + CAMERA_NAME_MAX];
	struct tm tm;
	time_t secs = (time_t)(t_ms / 1000);
	int w, h, x, y;

	localtime_r(&secs, &tm);
	osd_clock(osd->osd_clock, &tm, clock, 64);
	if (osd->osd_dress == OSD_BAR) {
		/* one line on a black bar across the picture, the name after the clock */
		if (osd->osd_name && cam->cam_name[0] != '\0') {
			size_t n = strlen(clock);
			snprintf(clock + n, sizeof(clock) - n, "   %s", cam->cam_name);
		}
		overlay_measure(cam->cam_ov, clock, &w, &h);
		int bar = h + 2 * style.os_pad;
		int top = osd->osd_clock_at == OSD_TOP_LEFT || osd->osd_clock_at == OSD_TOP_RIGHT
		              ? 0
		              : cam->cam_pic.pic_h - bar;
		picture_fill_rect(&cam->cam_pic, 0, top, cam->cam_pic.pic_w, bar, 0, 0, 0);
		x = osd->osd_clock_at == OSD_TOP_LEFT || osd->osd_clock_at == OSD_BOTTOM_LEFT
		        ? style.os_pad + 2
		        : cam->cam_pic.pic_w - w - style.os_pad - 2;
		overlay_draw(cam->cam_ov, &cam->cam_pic, x, top + style.os_pad, clock, &style);
		return;
	}
	overlay_measure(cam->cam_ov, clock, &w, &h);
	osd_place(cam, osd->osd_clock_at, w, h, &x, &y);
	overlay_draw(cam->cam_ov, &cam->cam_pic, x, y, clock, &style);
	if (osd->osd_name && cam->cam_name[0] != '\0') {
		overlay_measure(cam->cam_ov, cam->cam_name, &w, &h);
		osd_place(cam, osd->osd_name_at, w, h, &x, &y);
		overlay_draw(cam->cam_ov, &cam->cam_pic, x, y, cam->cam_name, &style);
	}
}

int camera_capture(camera_s *cam, int64_t t_ms, camera_frame_s *out, char *err, size_t errlen)
{
	int top = cam->cam_note_band0 * CAMERA_BAND;

	memset(out, 0, sizeof(*out));
	int night = 0;
	if (source_read(cam->cam_src, &cam->cam_pic, t_ms, &night, err, errlen) != 0)
		return -1;
	draw_osd(cam, t_ms);
	if (cam->cam_per_viewer) {
		/* Keep the bands under the note as they are now: a viewer's note
		 * is drawn on them, so it sits on the live scene. */
		pthread_mutex_lock(&cam->cam_band_lock);
		copy_bands(&cam->cam_band_bg, 0, &cam->cam_pic, top,
		           cam->cam_note_bands * CAMERA_BAND);
		cam->cam_band_valid = 1;
		cam->cam_band_night = night;
		cam->cam_band_gen++;
		pthread_mutex_unlock(&cam->cam_band_lock);
		pthread_mutex_lock(&cam->cam_note_lock);
		draw_note(cam, &cam->cam_pic, top, "", night); /* what nobody's own copy shows */
		pthread_mutex_unlock(&cam->cam_note_lock);
	} else if (cam->cam_note) {
		pthread_mutex_lock(&cam->cam_note_lock);
		draw_note(cam, &cam->cam_pic, top, cam->cam_note_text, night);
		pthread_mutex_unlock(&cam->cam_note_lock);
	}
	if (encoder_encode(cam->cam_enc, &cam->cam_pic, &out->cf_jpeg, &out->cf_len, err, errlen) !=
	    0)
		return -1;
	if (cam->cam_per_viewer) {
		size_t ss[CAMERA_MAX_BANDS], se[CAMERA_MAX_BANDS];
		int n = encoder_segments(out->cf_jpeg, out->cf_len, ss, se, CAMERA_MAX_BANDS);
		int last = cam->cam_note_band0 + cam->cam_note_bands - 1;
		if (n > last) {
			out->cf_splice_start = ss[cam->cam_note_band0];
			out->cf_splice_end = se[last];
		}
	}
	return 0;
}

static int note_locked(camera_s *cam, const char *text, uint64_t *gen, uint8_t **blob,
                       size_t *bloblen, char *err, size_t errlen)
{
	size_t ss[CAMERA_MAX_BANDS], se[CAMERA_MAX_BANDS], total = 0;
	const uint8_t *jpeg;
	size_t len;
	uint8_t *b;
	int n, valid;

	*blob = NULL;
	*bloblen = 0;
	if (!cam->cam_per_viewer) {
		snprintf(err, errlen, "note: not in per-viewer mode");
		return -1;
	}
	pthread_mutex_lock(&cam->cam_band_lock);
	valid = cam->cam_band_valid;
	int night = cam->cam_band_night;
	*gen = cam->cam_band_gen;
	if (valid)
		copy_bands(&cam->cam_band_pic, 0, &cam->cam_band_bg, 0,
		           cam->cam_note_bands * CAMERA_BAND);
	pthread_mutex_unlock(&cam->cam_band_lock);
	if (!valid) {
		snprintf(err, errlen, "note: no frame captured yet");
		return -1;
	}
	draw_note(cam, &cam->cam_band_pic, 0, text, night);
	if (encoder_encode(cam->cam_band_enc, &cam->cam_band_pic, &jpeg, &len, err, errlen) != 0)
		return -1;
	n = encoder_segments(jpeg, len, ss, se, CAMERA_MAX_BANDS);
	if (n != cam->cam_note_bands) {
		snprintf(err, errlen, "note: expected %d bands, found %d", cam->cam_note_bands, n);
		return -1;
	}
	for (int k = 0; k < n; k++)
		total += se[k] - ss[k] + (k + 1 < n ? 2 : 0);
	b = malloc(total);
	if (b == NULL) {
		snprintf(err, errlen, "note: out of memory");
		return -1;
	}
	*bloblen = 0;
	for (int k = 0; k < n; k++) {
		memcpy(b + *bloblen, jpeg + ss[k], se[k] - ss[k]);
		*bloblen += se[k] - ss[k];
		if (k + 1 < n) {
			/* Restart markers count by position in the whole frame. */
			b[(*bloblen)++] = 0xff;
			b[(*bloblen)++] = (uint8_t)(0xd0 + (cam->cam_note_band0 + k) % 8);
		}
	}
	*blob = b;
	return 0;
}

int camera_note(camera_s *cam, const char *text, uint8_t **blob, size_t *bloblen, char *err,
                size_t errlen)
{
	uint64_t gen;
	int rc;

	pthread_mutex_lock(&cam->cam_note_lock);
	rc = note_locked(cam, text, &gen, blob, bloblen, err, errlen);
	pthread_mutex_unlock(&cam->cam_note_lock);
	return rc;
}

int camera_note_renew(camera_s *cam, const char *text, int sharers, uint64_t *gen, uint8_t **blob,
                      size_t *bloblen, char *err, size_t errlen)
{
	uint64_t every = (uint64_t)(sharers > 0 ? sharers : 0) / CAMERA_NOTE_RENEWS;
	uint64_t now, was = *gen;
	uint8_t *fresh;
	size_t len;
	int rc;

	if (every < CAMERA_NOTE_EVERY)
		every = CAMERA_NOTE_EVERY;
	pthread_mutex_lock(&cam->cam_band_lock);
	now = cam->cam_band_gen;
	pthread_mutex_unlock(&cam->cam_band_lock);
	if (*blob != NULL && now - was < every)
		return 0;
	/* another viewer is drawing its note: this one keeps its own a frame
	 * longer (a first note is waited for: its frame shows the credential) */
	if (*blob == NULL)
		pthread_mutex_lock(&cam->cam_note_lock);
	else if (pthread_mutex_trylock(&cam->cam_note_lock) != 0)
		return 0;
	rc = note_locked(cam, text, gen, &fresh, &len, err, errlen);
	pthread_mutex_unlock(&cam->cam_note_lock);
	if (rc != 0) {
		*gen = was;
		return -1;
	}
	free(*blob);
	*blob = fresh;
	*bloblen = len;
	return 1;
}

void camera_source_status(camera_s *cam, source_status_s *st)
{
	source_status(cam->cam_src, st);
}
