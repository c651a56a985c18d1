/* rand: getrandom with /dev/urandom behind it; a failure is reported, never papered over. */
#include "rand.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int rand_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	size_t got = 0;
	int fd;

	while (got < n) {
		ssize_t r = getrandom(p + got, n - got, 0);
		if (r > 0)
			got += (size_t)r;
		else if (r < 0 && errno != EINTR)
			break;
	}
	if (got == n)
		return 0;
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r > 0)
			got += (size_t)r;
		else if (r == 0 || errno != EINTR)
			break;
	}
	close(fd);
	return got == n ? 0 : -1;
}

int rand_below(uint32_t bound, uint32_t *out)
{
	uint32_t v, limit;

	if (bound == 0)
		return -1;
	/* Rejection sampling keeps the draw uniform. */
	limit = UINT32_MAX - UINT32_MAX % bound;
	do {
		if (rand_bytes(&v, sizeof(v)) != 0)
			return -1;
	} while (v >= limit);
	*out = v % bound;
	return 0;
}

void rand_weak(void *buf, size_t n)
{
	struct timespec a, b;
	uint64_t x;
	uint8_t *p = buf;

	clock_gettime(CLOCK_REALTIME, &a);
	clock_gettime(CLOCK_MONOTONIC, &b);
	x = (uint64_t)a.tv_nsec ^ ((uint64_t)a.tv_sec << 20) ^ ((uint64_t)b.tv_nsec << 7) ^
	    (uint64_t)getpid() ^ (uint64_t)(uintptr_t)buf;
	for (size_t i = 0; i < n; i++) {
		/* splitmix64 steps spread the few bits there are */
		uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		p[i] = (uint8_t)(z ^ (z >> 31));
	}
}
