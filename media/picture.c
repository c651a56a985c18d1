/* picture: allocation and simple drawing on planar YUV 4:2:0 images. */
#include "picture.h"

#include <stdlib.h>
#include <string.h>

int picture_alloc(picture_s *pic, int w, int h)
{
	size_t luma = (size_t)w * (size_t)h;
	uint8_t *block;

	memset(pic, 0, sizeof(*pic));
	if (w <= 0 || h <= 0 || (w & 1) || (h & 1))
		return -1;
	block = malloc(luma + luma / 2);
	if (block == NULL)
		return -1;
	pic->pic_w = w;
	pic->pic_h = h;
	pic->pic_y = block;
	pic->pic_u = block + luma;
	pic->pic_v = block + luma + luma / 4;
	return 0;
}

void picture_release(picture_s *pic)
{
	if (pic == NULL)
		return;
	free(pic->pic_y);
	memset(pic, 0, sizeof(*pic));
}

void picture_copy(picture_s *dst, const picture_s *src)
{
	size_t luma = (size_t)src->pic_w * (size_t)src->pic_h;

	/* Both pictures come from picture_alloc, so the planes are contiguous. */
	memcpy(dst->pic_y, src->pic_y, luma + luma / 2);
}

static uint8_t clamp8(int v)
{
	return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

void picture_rgb_to_yuv(int r, int g, int b, uint8_t *y, uint8_t *u, uint8_t *v)
{
	/* JFIF coefficients scaled by 2^16. */
	*y = clamp8((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);
	*u = clamp8(((-11059 * r - 21709 * g + 32768 * b + 32768) >> 16) + 128);
	*v = clamp8(((32768 * r - 27439 * g - 5329 * b + 32768) >> 16) + 128);
}

static int clip_rect(const picture_s *pic, int *x, int *y, int *w, int *h)
{
	if (*x < 0) {
		*w += *x;
		*x = 0;
	}
	if (*y < 0) {
		*h += *y;
		*y = 0;
	}
	if (*x + *w > pic->pic_w)
		*w = pic->pic_w - *x;
	if (*y + *h > pic->pic_h)
		*h = pic->pic_h - *y;
	return *w > 0 && *h > 0;
}

void picture_fill_rect(picture_s *pic, int x, int y, int w, int h, int r, int g, int b)
{
	uint8_t cy, cu, cv;
	int cw = pic->pic_w / 2;

	if (!clip_rect(pic, &x, &y, &w, &h))
		return;
	picture_rgb_to_yuv(r, g, b, &cy, &cu, &cv);
	for (int row = y; row < y + h; row++)
		memset(pic->pic_y + (size_t)row * pic->pic_w + x, cy, (size_t)w);
	for (int row = y / 2; row < (y + h + 1) / 2; row++) {
		memset(pic->pic_u + (size_t)row * cw + x / 2, cu,
		       (size_t)((x + w + 1) / 2 - x / 2));
		memset(pic->pic_v + (size_t)row * cw + x / 2, cv,
		       (size_t)((x + w + 1) / 2 - x / 2));
	}
}

void picture_shade_rect(picture_s *pic, int x, int y, int w, int h, int alpha)
{
	int cw = pic->pic_w / 2;
	int keep = 256 - alpha;

	if (!clip_rect(pic, &x, &y, &w, &h))
		return;
	for (int row = y; row < y + h; row++) {
		uint8_t *p = pic->pic_y + (size_t)row * pic->pic_w + x;
		for (int i = 0; i < w; i++)
			p[i] = (uint8_t)((p[i] * keep) >> 8);
	}
	for (int row = y / 2; row < (y + h + 1) / 2; row++) {
		uint8_t *u = pic->pic_u + (size_t)row * cw;
		uint8_t *v = pic->pic_v + (size_t)row * cw;
		for (int i = x / 2; i < (x + w + 1) / 2; i++) {
			u[i] = (uint8_t)(128 + (((u[i] - 128) * keep) >> 8));
			v[i] = (uint8_t)(128 + (((v[i] - 128) * keep) >> 8));
		}
	}
}
