/* replay: a fuzz target without libFuzzer, for the sanitizer build that
 * `make test` runs (gcc; libFuzzer needs clang and a build of its own).
 *
 * replay SECONDS SEED DIR...: every file of each DIR through the target,
 * then mutations of them (bits flipped, bytes set to edge values, cut,
 * grown, two inputs spliced) until SECONDS have passed. The mutations
 * follow from SEED and the corpus (read in name order) alone, so a failure
 * repeats with the same SEED and corpus (on a slower machine, give it more SECONDS).
 * Coverage-guided fuzzing stays `make fuzz` (libFuzzer, 60 s a target). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPLAY_MAX_INPUT (64 * 1024)
#define REPLAY_MAX_FILES 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	uint8_t *in_data;
	size_t in_len;
} input_s;

static input_s inputs[REPLAY_MAX_FILES];
static int ninputs;

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int load(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(REPLAY_MAX_INPUT);
	size_t n;

	if (f == NULL || buf == NULL) {
		if (f != NULL)
			fclose(f);
		free(buf);
		return -1;
	}
	n = fread(buf, 1, REPLAY_MAX_INPUT, f);
	fclose(f);
	if (ninputs == REPLAY_MAX_FILES) {
		free(buf);
		return 0;
	}
	inputs[ninputs].in_data = buf;
	inputs[ninputs++].in_len = n;
	return 0;
}

/* The files of dir in name order: the mutations pick inputs by their
 * place, so the same SEED must see the same order on any file system. */
static int load_dir(const char *dir)
{
	struct dirent **names;
	char path[4096];
	int n = scandir(dir, &names, NULL, alphasort), rc = 0;

	if (n < 0) {
		fprintf(stderr, "replay: cannot read %s\n", dir);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (rc == 0 && names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			rc = load(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static void run(const uint8_t *data, size_t len)
{
	/* the target sees a buffer of exactly len bytes, as under libFuzzer,
	 * so that a read past it is ASan's to see */
	uint8_t *copy = malloc(len ? len : 1);

	if (copy == NULL)
		return;
	memcpy(copy, data, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
}

/* One mutation of a corpus input into out; its length. */
static size_t mutate(uint64_t *s, uint8_t *out)
{
	static const uint8_t edge[] = {0x00, 0x01, 0x7f, 0x80, 0xff, '\r',
	                               '\n', '"',  '%',  '<',  ' '};
	const input_s *a = &inputs[rng(s) % (uint64_t)ninputs];
	size_t len = a->in_len;

	memcpy(out, a->in_data, len);
	for (int k = 1 + (int)(rng(s) % 4); k > 0; k--) {
		size_t at = len ? rng(s) % len : 0;
		switch (rng(s) % 6) {
		case 0: /* a bit flipped */
			if (len)
				out[at] ^= (uint8_t)(1u << (rng(s) % 8));
			break;
		case 1: /* an edge value */
			if (len)
				out[at] = edge[rng(s) % sizeof(edge)];
			break;
		case 2: /* cut short */
			len = at;
			break;
		case 3: { /* bytes repeated in place */
			size_t n = 1 + rng(s) % 64;
			if (len + n <= REPLAY_MAX_INPUT && len) {
				memmove(out + at + n, out + at, len - at);
				memset(out + at, out[at + n], n);
				len += n;
			}
			break;
		}
		case 4: { /* the tail of another input */
			const input_s *b = &inputs[rng(s) % (uint64_t)ninputs];
			size_t from = b->in_len ? rng(s) % b->in_len : 0;
			size_t n = b->in_len - from;
			if (at + n > REPLAY_MAX_INPUT)
				n = REPLAY_MAX_INPUT - at;
			memcpy(out + at, b->in_data + from, n);
			len = at + n;
			break;
		}
		default: /* a run erased */
			if (len) {
				size_t n = rng(s) % (len - at + 1);
				memmove(out + at, out + at + n, len - at - n);
				len -= n;
			}
			break;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	static uint8_t buf[REPLAY_MAX_INPUT];
	struct timespec t0, t;
	long runs = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: %s SECONDS SEED DIR...\n", argv[0]);
		return 2;
	}
	double seconds = atof(argv[1]);
	uint64_t seed = strtoull(argv[2], NULL, 0) | 1;
	for (int i = 3; i < argc; i++)
		if (load_dir(argv[i]) != 0)
			return 2;
	if (ninputs == 0) {
		fprintf(stderr, "replay: no inputs\n");
		return 2;
	}
	for (int i = 0; i < ninputs; i++)
		run(inputs[i].in_data, inputs[i].in_len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (t = t0; (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 < seconds;
	     runs++) {
		size_t len = mutate(&seed, buf);
		run(buf, len);
		if (runs % 64 == 0)
			clock_gettime(CLOCK_MONOTONIC, &t);
	}
	printf("replay: %d inputs, then %ld mutations in %.1f s\n", ninputs, runs, seconds);
	return 0;
}
