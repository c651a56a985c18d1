/* layer: decodes the embedded scene layers (libjpeg) and fits them to the picture. */
#include "layer.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "scene_data.h"

typedef struct {
	struct jpeg_error_mgr le_pub;
	jmp_buf le_jmp;
} layer_err_s;

static void layer_error_exit(j_common_ptr cinfo)
{
	layer_err_s *e = (layer_err_s *)cinfo->err;
	longjmp(e->le_jmp, 1);
}

static void layer_quiet(j_common_ptr cinfo, int level)
{
	(void)cinfo;
	(void)level;
}

static const scene_asset_s *layer_find(const char *name)
{
	for (size_t i = 0; i < scene_assets_count; i++)
		if (strcmp(scene_assets_table[i].sa_name, name) == 0)
			return &scene_assets_table[i];
	return NULL;
}

/* Separate from layer_load so that nothing the longjmp crosses is a
 * non-volatile local that changes after setjmp. */
static int layer_decode(const scene_asset_s *a, uint8_t **rgb, int *w, int *h)
{
	struct jpeg_decompress_struct ci;
	layer_err_s je;
	uint8_t *volatile buf = NULL;

	ci.err = jpeg_std_error(&je.le_pub);
	je.le_pub.error_exit = layer_error_exit;
	je.le_pub.emit_message = layer_quiet;
	if (setjmp(je.le_jmp)) {
		jpeg_destroy_decompress(&ci);
		free(buf);
		return -1;
	}
	jpeg_create_decompress(&ci);
	jpeg_mem_src(&ci, a->sa_data, (unsigned long)a->sa_len);
	jpeg_read_header(&ci, TRUE);
	ci.out_color_space = JCS_RGB;
	jpeg_start_decompress(&ci);
	if (ci.output_width > 4096 || ci.output_height > 4096 || ci.output_components != 3) {
		jpeg_destroy_decompress(&ci);
		return -1;
	}
	buf = malloc((size_t)ci.output_width * ci.output_height * 3);
	if (buf == NULL) {
		jpeg_destroy_decompress(&ci);
		return -1;
	}
	while (ci.output_scanline < ci.output_height) {
		JSAMPROW row = buf + (size_t)ci.output_scanline * ci.output_width * 3;
		jpeg_read_scanlines(&ci, &row, 1);
	}
	*w = (int)ci.output_width;
	*h = (int)ci.output_height;
	jpeg_finish_decompress(&ci);
	jpeg_destroy_decompress(&ci);
	*rgb = buf;
	return 0;
}

int layer_load(const char *name, uint8_t **rgb, int *w, int *h, char *err, size_t errlen)
{
	const scene_asset_s *a = layer_find(name);

	*rgb = NULL;
	if (a == NULL) {
		snprintf(err, errlen, "scene: no layer %s in this build", name);
		return -1;
	}
	if (layer_decode(a, rgb, w, h) != 0) {
		snprintf(err, errlen, "scene: layer %s does not decode", name);
		return -1;
	}
	return 0;
}

void layer_fit(int sw, int sh, int dw, int dh, layer_fit_s *fit)
{
	double sx = (double)dw / sw, sy = (double)dh / sh;

	fit->ly_scale = sx > sy ? sx : sy;
	fit->ly_ox = (sw * fit->ly_scale - dw) / 2;
	fit->ly_oy = sh * fit->ly_scale - dh;
}

void layer_map(const layer_fit_s *fit, double x, double y, double *ox, double *oy)
{
	*ox = x * fit->ly_scale - fit->ly_ox;
	*oy = y * fit->ly_scale - fit->ly_oy;
}

void layer_resample(const uint8_t *rgb, int sw, int sh, const layer_fit_s *fit, uint8_t *out,
                    int dw, int dh)
{
	/* downscaling by more than 2 would alias: average a box first is not
	 * worth it for a once-per-start picture, so sample bilinearly at the
	 * centre of each destination pixel's footprint */
	for (int y = 0; y < dh; y++) {
		double fy = (y + 0.5 + fit->ly_oy) / fit->ly_scale - 0.5;
		int y0 = (int)fy;
		double ty = fy - y0;
		if (fy < 0) {
			y0 = 0;
			ty = 0;
		}
		int y1 = y0 + 1 < sh ? y0 + 1 : sh - 1;
		if (y0 > sh - 1)
			y0 = y1 = sh - 1;
		for (int x = 0; x < dw; x++) {
			double fx = (x + 0.5 + fit->ly_ox) / fit->ly_scale - 0.5;
			int x0 = (int)fx;
			double tx = fx - x0;
			if (fx < 0) {
				x0 = 0;
				tx = 0;
			}
			int x1 = x0 + 1 < sw ? x0 + 1 : sw - 1;
			if (x0 > sw - 1)
				x0 = x1 = sw - 1;
			const uint8_t *a = rgb + ((size_t)y0 * sw + x0) * 3,
			              *b = rgb + ((size_t)y0 * sw + x1) * 3,
			              *c = rgb + ((size_t)y1 * sw + x0) * 3,
			              *d = rgb + ((size_t)y1 * sw + x1) * 3;
			uint8_t *o = out + ((size_t)y * dw + x) * 3;
			for (int k = 0; k < 3; k++) {
				double v = (a[k] * (1 - tx) + b[k] * tx) * (1 - ty) +
				           (c[k] * (1 - tx) + d[k] * tx) * ty;
				o[k] = (uint8_t)(v + 0.5);
			}
		}
	}
}
