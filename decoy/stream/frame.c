/* frame: reference-counted JPEG buffers, and the one place a viewer's note is spliced into one. */
#include "frame.h"

#include <stdlib.h>
#include <string.h>

frame_s *frame_new(const uint8_t *data, size_t len, uint64_t seq, int64_t mono_ms)
{
	frame_s *fr = malloc(sizeof(*fr) + len);

	if (fr == NULL)
		return NULL;
	atomic_init(&fr->fr_refs, 1);
	fr->fr_seq = seq;
	fr->fr_mono_ms = mono_ms;
	fr->fr_len = len;
	fr->fr_splice_start = fr->fr_splice_end = 0;
	memcpy(fr->fr_data, data, len);
	return fr;
}

frame_s *frame_ref(frame_s *fr)
{
	atomic_fetch_add_explicit(&fr->fr_refs, 1, memory_order_relaxed);
	return fr;
}

void frame_unref(frame_s *fr)
{
	if (fr != NULL && atomic_fetch_sub_explicit(&fr->fr_refs, 1, memory_order_acq_rel) == 1)
		free(fr);
}

int frame_pieces(const frame_s *fr, const uint8_t *note, size_t note_len, const uint8_t *piece[3],
                 size_t len[3], size_t *total)
{
	if (note == NULL || fr->fr_splice_end <= fr->fr_splice_start ||
	    fr->fr_splice_end > fr->fr_len) {
		piece[0] = fr->fr_data;
		len[0] = *total = fr->fr_len;
		return 1;
	}
	/* Restart markers keep the bands apart: the note's bands replace the
	 * shared ones byte for byte (docs/deception.md: How per-viewer notes stay cheap). */
	piece[0] = fr->fr_data;
	len[0] = fr->fr_splice_start;
	piece[1] = note;
	len[1] = note_len;
	piece[2] = fr->fr_data + fr->fr_splice_end;
	len[2] = fr->fr_len - fr->fr_splice_end;
	*total = len[0] + len[1] + len[2];
	return 3;
}
