/* overlay: FreeType glyphs cached at start-up and blended into YUV pictures. */
#include "overlay.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OV_FIRST 32
#define OV_LAST  126

typedef struct {
	uint8_t *g_bits; /* coverage 0..255, g_w x g_h */
	int g_w, g_h;
	int g_left, g_top; /* bearing from the pen position on the baseline */
	int g_advance;
} overlay_glyph_s;

struct overlay {
	overlay_glyph_s ov_glyphs[OV_LAST - OV_FIRST + 1];
	int ov_ascent;
	int ov_line_h;
};

overlay_s *overlay_new(const char *font_path, int px_size, char *err, size_t errlen)
{
	FT_Library lib = NULL;
	FT_Face face = NULL;
	overlay_s *ov = NULL;
	FT_Error fe;

	if (px_size < 6 || px_size > 200) {
		snprintf(err, errlen, "overlay: font size %d out of range 6..200", px_size);
		return NULL;
	}
	ov = calloc(1, sizeof(*ov));
	if (ov == NULL) {
		snprintf(err, errlen, "overlay: out of memory");
		return NULL;
	}
	if ((fe = FT_Init_FreeType(&lib)) != 0) {
		snprintf(err, errlen, "overlay: FreeType init failed (%d)", fe);
		goto fail;
	}
	if ((fe = FT_New_Face(lib, font_path, 0, &face)) != 0) {
		snprintf(err, errlen, "overlay: cannot load font %s (FreeType error %d)", font_path,
		         fe);
		goto fail;
	}
	if ((fe = FT_Set_Pixel_Sizes(face, 0, (FT_UInt)px_size)) != 0) {
		snprintf(err, errlen, "overlay: font %s has no size %d", font_path, px_size);
		goto fail;
	}
	ov->ov_ascent = (int)(face->size->metrics.ascender >> 6);
	ov->ov_line_h = (int)(face->size->metrics.height >> 6);
	for (int c = OV_FIRST; c <= OV_LAST; c++) {
		overlay_glyph_s *g = &ov->ov_glyphs[c - OV_FIRST];
		FT_Bitmap *bm;

		if ((fe = FT_Load_Char(face, (FT_ULong)c, FT_LOAD_RENDER)) != 0) {
			snprintf(err, errlen, "overlay: font %s lacks glyph %d", font_path, c);
			goto fail;
		}
		bm = &face->glyph->bitmap;
		g->g_w = (int)bm->width;
		g->g_h = (int)bm->rows;
		g->g_left = face->glyph->bitmap_left;
		g->g_top = face->glyph->bitmap_top;
		g->g_advance = (int)(face->glyph->advance.x >> 6);
		if (g->g_w > 0 && g->g_h > 0) {
			g->g_bits = malloc((size_t)g->g_w * (size_t)g->g_h);
			if (g->g_bits == NULL) {
				snprintf(err, errlen, "overlay: out of memory");
				goto fail;
			}
			for (int row = 0; row < g->g_h; row++)
				memcpy(g->g_bits + (size_t)row * g->g_w,
				       bm->buffer + (ptrdiff_t)row * bm->pitch, (size_t)g->g_w);
		}
	}
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
	return ov;
fail:
	if (face != NULL)
		FT_Done_Face(face);
	if (lib != NULL)
		FT_Done_FreeType(lib);
	overlay_free(ov);
	return NULL;
}

void overlay_free(overlay_s *ov)
{
	if (ov == NULL)
		return;
	for (int i = 0; i <= OV_LAST - OV_FIRST; i++)
		free(ov->ov_glyphs[i].g_bits);
	free(ov);
}

static const overlay_glyph_s *glyph_for(const overlay_s *ov, unsigned char c)
{
	if (c < OV_FIRST || c > OV_LAST)
		c = '?';
	return &ov->ov_glyphs[c - OV_FIRST];
}

void overlay_measure(const overlay_s *ov, const char *text, int *w, int *h)
{
	int line_w = 0, max_w = 0, lines = 1;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n') {
			lines++;
			line_w = 0;
			continue;
		}
		line_w += glyph_for(ov, *p)->g_advance;
		if (line_w > max_w)
			max_w = line_w;
	}
	*w = max_w;
	*h = lines * ov->ov_line_h;
}

static void blend_glyph(picture_s *pic, const overlay_glyph_s *g, int x0, int y0,
                        const uint8_t yuv[3])
{
	int cw = pic->pic_w / 2;

	for (int row = 0; row < g->g_h; row++) {
		int py = y0 + row;
		if (py < 0 || py >= pic->pic_h)
			continue;
		for (int col = 0; col < g->g_w; col++) {
			int px = x0 + col;
			int a = g->g_bits[(size_t)row * g->g_w + col];
			if (a == 0 || px < 0 || px >= pic->pic_w)
				continue;
			uint8_t *yp = pic->pic_y + (size_t)py * pic->pic_w + px;
			*yp = (uint8_t)(*yp + ((yuv[0] - *yp) * a) / 255);
			/* Each chroma sample covers four pixels: a quarter weight each. */
			uint8_t *up = pic->pic_u + (size_t)(py / 2) * cw + px / 2;
			uint8_t *vp = pic->pic_v + (size_t)(py / 2) * cw + px / 2;
			*up = (uint8_t)(*up + ((yuv[1] - *up) * a) / 1020);
			*vp = (uint8_t)(*vp + ((yuv[2] - *vp) * a) / 1020);
		}
	}
}

static void draw_text(const overlay_s *ov, picture_s *pic, int x, int y, const char *text,
                      const uint8_t yuv[3])
{
	int pen_x = x, base_y = y + ov->ov_ascent;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		const overlay_glyph_s *g;
		if (*p == '\n') {
			pen_x = x;
			base_y += ov->ov_line_h;
			continue;
		}
		g = glyph_for(ov, *p);
		if (g->g_bits != NULL)
			blend_glyph(pic, g, pen_x + g->g_left, base_y - g->g_top, yuv);
		pen_x += g->g_advance;
	}
}

void overlay_draw(const overlay_s *ov, picture_s *pic, int x, int y, const char *text,
                  const overlay_style_s *style)
{
	uint8_t fg[3], dark[3];
	int w, h, pad = style->os_pad;

	overlay_measure(ov, text, &w, &h);
	if (style->os_bg_alpha >= 256)
		picture_fill_rect(pic, x - pad, y - pad, w + 2 * pad, h + 2 * pad, style->os_bg[0],
		                  style->os_bg[1], style->os_bg[2]);
	else if (style->os_bg_alpha > 0)
		picture_shade_rect(pic, x - pad, y - pad, w + 2 * pad, h + 2 * pad,
		                   style->os_bg_alpha);
	picture_rgb_to_yuv(style->os_fg[0], style->os_fg[1], style->os_fg[2], &fg[0], &fg[1],
	                   &fg[2]);
	if (style->os_shadow) {
		picture_rgb_to_yuv(0, 0, 0, &dark[0], &dark[1], &dark[2]);
		draw_text(ov, pic, x + 1, y + 1, text, dark);
		draw_text(ov, pic, x - 1, y - 1, text, dark);
	}
	draw_text(ov, pic, x, y, text, fg);
}
