/* frame: one encoded JPEG shared by every viewer, reference-counted. */
#ifndef CAMDECOY_FRAME_H
#define CAMDECOY_FRAME_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct frame {
	atomic_int fr_refs;
	uint64_t fr_seq;    /* 1, 2, ... in publish order */
	int64_t fr_mono_ms; /* monotonic capture time */
	size_t fr_len;
	/* Per-viewer mode: the bytes a viewer's own note replaces (0, 0: none). */
	size_t fr_splice_start, fr_splice_end;
	uint8_t fr_data[];
} frame_s;

/* Copies data; the new frame holds one reference. NULL when out of memory. */
frame_s *frame_new(const uint8_t *data, size_t len, uint64_t seq, int64_t mono_ms);
frame_s *frame_ref(frame_s *fr);
/* The bytes a viewer with its own note sees: the shared frame before the
 * note, the note, the frame after it (3 pieces), or the frame whole (1) when
 * note is NULL or the frame has no place for one. *total: their length. */
int frame_pieces(const frame_s *fr, const uint8_t *note, size_t note_len, const uint8_t *piece[3],
                 size_t len[3], size_t *total);
/* Drops one reference; the last one frees. frame_unref(NULL) is a no-op. */
void frame_unref(frame_s *fr);

#endif
