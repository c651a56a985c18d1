/* encoder: libjpeg(-turbo) from the YUV planes as they are (raw data in):
 * a JFIF APP0, the Annex K tables at a quality (the IJG scaling), the
 * standard Huffman tables, no comment: what camera firmware writes, where
 * libavcodec's MJPEG encoder signs its files ("Lavc" comment, its own DC
 * quantiser). */
#include "encoder.h"

#include <stdio.h>
/* jpeglib.h needs stdio.h and size_t first */
#include <jerror.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define ENC_ROWS 16 /* luma rows per call: one iMCU row at 4:2:0, two at 4:2:2 */

typedef struct {
	struct jpeg_error_mgr je_pub;
	jmp_buf je_jmp;
	char je_msg[JMSG_LENGTH_MAX];
} encoder_error_s;

struct encoder {
	struct jpeg_compress_struct enc_ci;
	encoder_error_s enc_err;
	struct jpeg_destination_mgr enc_dest;
	encoder_conf_s enc_conf;
	uint8_t *enc_buf; /* the JPEG, grown as needed */
	size_t enc_cap, enc_len;
	/* rows padded to whole blocks, used only when the width is not a multiple of 16 */
	uint8_t *enc_pad;
	size_t enc_pad_w;
};

static void on_error(j_common_ptr ci)
{
	encoder_error_s *e = (encoder_error_s *)ci->err;

	(*ci->err->format_message)(ci, e->je_msg);
	longjmp(e->je_jmp, 1);
}

static void on_message(j_common_ptr ci)
{
	(void)ci; /* warnings are not worth a word from a library */
}

static void dest_init(j_compress_ptr ci)
{
	encoder_s *enc = ci->client_data;

	ci->dest->next_output_byte = enc->enc_buf;
	ci->dest->free_in_buffer = enc->enc_cap;
}

static boolean dest_grow(j_compress_ptr ci)
{
	encoder_s *enc = ci->client_data;
	uint8_t *b = realloc(enc->enc_buf, enc->enc_cap * 2);

	if (b == NULL)
		ERREXIT1(ci, JERR_OUT_OF_MEMORY, 0);
	/* called when the buffer is full: all of it is written */
	ci->dest->next_output_byte = b + enc->enc_cap;
	ci->dest->free_in_buffer = enc->enc_cap;
	enc->enc_buf = b;
	enc->enc_cap *= 2;
	return TRUE;
}

static void dest_term(j_compress_ptr ci)
{
	encoder_s *enc = ci->client_data;

	enc->enc_len = enc->enc_cap - ci->dest->free_in_buffer;
}

encoder_s *encoder_new(const encoder_conf_s *conf, char *err, size_t errlen)
{
	encoder_s *enc;
	struct jpeg_compress_struct *ci;

	if (conf->ec_w < 16 || conf->ec_h < 16 || conf->ec_w > 4096 || conf->ec_h > 4096 ||
	    conf->ec_w % 2 != 0 || conf->ec_h % 2 != 0 || conf->ec_quality < 1 ||
	    conf->ec_quality > 100 || (conf->ec_jfif_minor != 1 && conf->ec_jfif_minor != 2)) {
		snprintf(err, errlen, "encoder: bad configuration (%dx%d, quality %d)", conf->ec_w,
		         conf->ec_h, conf->ec_quality);
		return NULL;
	}
	enc = calloc(1, sizeof(*enc));
	if (enc == NULL)
		goto nomem;
	enc->enc_conf = *conf;
	enc->enc_cap = (size_t)conf->ec_w * conf->ec_h / 4 + 4096;
	enc->enc_buf = malloc(enc->enc_cap);
	if (enc->enc_buf == NULL)
		goto nomem;
	if (conf->ec_w % 16 != 0) {
		enc->enc_pad_w = ((size_t)conf->ec_w + 15) / 16 * 16;
		enc->enc_pad = malloc(enc->enc_pad_w * ENC_ROWS * 3);
		if (enc->enc_pad == NULL)
			goto nomem;
	}
	ci = &enc->enc_ci;
	ci->err = jpeg_std_error(&enc->enc_err.je_pub);
	enc->enc_err.je_pub.error_exit = on_error;
	enc->enc_err.je_pub.output_message = on_message;
	if (setjmp(enc->enc_err.je_jmp)) {
		snprintf(err, errlen, "encoder: %s", enc->enc_err.je_msg);
		encoder_free(enc);
		return NULL;
	}
	jpeg_create_compress(ci);
	ci->client_data = enc;
	enc->enc_dest.init_destination = dest_init;
	enc->enc_dest.empty_output_buffer = dest_grow;
	enc->enc_dest.term_destination = dest_term;
	ci->dest = &enc->enc_dest;
	ci->image_width = (JDIMENSION)conf->ec_w;
	ci->image_height = (JDIMENSION)conf->ec_h;
	ci->input_components = 3;
	ci->in_color_space = JCS_YCbCr;
	jpeg_set_defaults(ci); /* JFIF APP0, the standard Huffman tables, 4:2:0 */
	jpeg_set_quality(ci, conf->ec_quality, TRUE);
	ci->JFIF_minor_version = (UINT8)conf->ec_jfif_minor;
	ci->raw_data_in = TRUE;
	ci->optimize_coding = FALSE;
	ci->comp_info[0].v_samp_factor = conf->ec_sub == ENCODER_422 ? 1 : 2;
	/* one interval per 16 rows: an iMCU row is 16 rows at 4:2:0, 8 at 4:2:2 */
	if (conf->ec_bands)
		ci->restart_in_rows = conf->ec_sub == ENCODER_422 ? 2 : 1;
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
	if (enc->enc_ci.err != NULL)
		jpeg_destroy_compress(&enc->enc_ci);
	free(enc->enc_buf);
	free(enc->enc_pad);
	free(enc);
}

/* A row of a plane, the last one repeated below the picture; copied into
 * the padding rows (last sample repeated) when the width needs it. */
static JSAMPROW plane_row(const encoder_s *enc, const uint8_t *plane, int w, int h, int row,
                          int slot)
{
	const uint8_t *src = plane + (size_t)(row < h ? row : h - 1) * (size_t)w;
	uint8_t *dst;

	if (enc->enc_pad == NULL)
		return (JSAMPROW)src;
	dst = enc->enc_pad + (size_t)slot * enc->enc_pad_w;
	memcpy(dst, src, (size_t)w);
	memset(dst + w, src[w - 1], enc->enc_pad_w - (size_t)w);
	return dst;
}

/* Feeds the planes to libjpeg, one batch of rows per call. */
static void write_rows(encoder_s *enc, const picture_s *pic)
{
	struct jpeg_compress_struct *ci = &enc->enc_ci;
	JSAMPROW y[ENC_ROWS], u[ENC_ROWS], v[ENC_ROWS];
	JSAMPARRAY planes[3] = {y, u, v};
	int w = pic->pic_w, h = pic->pic_h, cw = w / 2, ch = h / 2;
	int is422 = enc->enc_conf.ec_sub == ENCODER_422;
	int rows = is422 ? 8 : 16; /* luma rows of one iMCU row */

	while (ci->next_scanline < ci->image_height) {
		int r0 = (int)ci->next_scanline;
		for (int k = 0; k < rows; k++)
			y[k] = plane_row(enc, pic->pic_y, w, h, r0 + k, k);
		/* 4:2:0: 8 chroma rows for 16 luma rows; 4:2:2: one per luma row,
		 * each 4:2:0 chroma row twice */
		for (int k = 0; k < 8; k++) {
			int cr = is422 ? (r0 + k) / 2 : r0 / 2 + k;
			u[k] = plane_row(enc, pic->pic_u, cw, ch, cr, ENC_ROWS + k);
			v[k] = plane_row(enc, pic->pic_v, cw, ch, cr, 2 * ENC_ROWS + k);
		}
		if (jpeg_write_raw_data(ci, planes, (JDIMENSION)rows) != (JDIMENSION)rows)
			ERREXIT(ci, JERR_BAD_BUFFER_MODE);
	}
}

int encoder_encode(encoder_s *enc, const picture_s *pic, const uint8_t **data, size_t *len,
                   char *err, size_t errlen)
{
	if (pic->pic_w != enc->enc_conf.ec_w || pic->pic_h != enc->enc_conf.ec_h) {
		snprintf(err, errlen, "encoder: a %dx%d picture for a %dx%d encoder", pic->pic_w,
		         pic->pic_h, enc->enc_conf.ec_w, enc->enc_conf.ec_h);
		return -1;
	}
	if (setjmp(enc->enc_err.je_jmp)) {
		jpeg_abort_compress(&enc->enc_ci);
		snprintf(err, errlen, "encoder: %s", enc->enc_err.je_msg);
		return -1;
	}
	enc->enc_len = 0;
	jpeg_start_compress(&enc->enc_ci, TRUE);
	write_rows(enc, pic);
	jpeg_finish_compress(&enc->enc_ci);
	*data = enc->enc_buf;
	*len = enc->enc_len;
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
