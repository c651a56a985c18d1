/* picture: a planar YUV 4:2:0 full-range image that media modules draw into. */
#ifndef CAMDECOY_PICTURE_H
#define CAMDECOY_PICTURE_H

#include <stddef.h>
#include <stdint.h>

/* Plain struct on purpose: the scene, the overlay and the tests touch pixels
 * without knowing about libav*. Width and height are even. */
typedef struct {
	int pic_w;
	int pic_h;
	uint8_t *pic_y; /* pic_w x pic_h, stride pic_w */
	uint8_t *pic_u; /* pic_w/2 x pic_h/2, stride pic_w/2 */
	uint8_t *pic_v;
} picture_s;

/* Allocates the three planes in one block; 0 on success, -1 out of memory. */
int picture_alloc(picture_s *pic, int w, int h);
void picture_release(picture_s *pic);
void picture_copy(picture_s *dst, const picture_s *src);

/* Full-range BT.601, the colour space of yuvj420p. */
void picture_rgb_to_yuv(int r, int g, int b, uint8_t *y, uint8_t *u, uint8_t *v);

/* Fills a rectangle, clipped to the picture; chroma at 2x2 granularity. */
void picture_fill_rect(picture_s *pic, int x, int y, int w, int h, int r, int g, int b);

/* Darkens a rectangle towards black by alpha/256 and greys its chroma a
 * little, the way camera OSD bars look. */
void picture_shade_rect(picture_s *pic, int x, int y, int w, int h, int alpha);

#endif
