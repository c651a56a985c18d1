/* frame: reference-counted JPEG buffers. */
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
