/* fuzz_rtsp: the RTSP trap's request parser and its answers on arbitrary bytes, pipelined as a
 * session would read them. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "persona.h"
#include "rtsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const persona_rtsp_s *voices[] = {persona_find("axis")->pe_rtsp,
	                                  persona_find("hikvision")->pe_rtsp};
	char out[4096];
	size_t off = 0;

	while (off < size) {
		rtsp_req_s rq;
		rtsp_parse_e pr = rtsp_parse(data + off, size - off, &rq);

		if (pr == RTSP_NEED)
			break;
		if (pr == RTSP_BAD) {
			/* what the parser kept must lie inside the input */
			if (rq.rr_cseq != NULL &&
			    ((const uint8_t *)rq.rr_cseq < data + off ||
			     (const uint8_t *)rq.rr_cseq + rq.rr_cseq_len > data + size))
				__builtin_trap();
			break;
		}
		if (rq.rr_head_len == 0 || rq.rr_head_len > RTSP_HEAD_MAX ||
		    rq.rr_body_len > RTSP_BODY_MAX || rq.rr_cseq_len > RTSP_CSEQ_MAX ||
		    (const uint8_t *)rq.rr_uri + rq.rr_uri_len > data + size)
			__builtin_trap();
		/* no CR, LF or other control byte can reach an answer's header from the request */
		for (size_t i = 0; i < rq.rr_uri_len; i++)
			if (rq.rr_uri[i] == '\r' || rq.rr_uri[i] == '\n' || rq.rr_uri[i] == ' ')
				__builtin_trap();
		for (size_t i = 0; i < rq.rr_cseq_len; i++)
			if ((uint8_t)rq.rr_cseq[i] < 0x20 || rq.rr_cseq[i] == 0x7f)
				__builtin_trap();
		for (int a = RTSP_ANSWER_BAD; a <= RTSP_ANSWER_STATE; a++) {
			size_t n = rtsp_answer(voices[off & 1], &rq, (rtsp_answer_e)a,
			                       "0123456789abcdef0123456789abcdef",
			                       " Mon, Jan 11 2021 14:34:40 GMT", out, sizeof(out));
			if (n > sizeof(out))
				__builtin_trap();
			/* every head ends with its blank line (DESCRIBE's body follows it) */
			if (n > 0 && a != RTSP_ANSWER_DESCRIBE &&
			    (n < 4 || memcmp(out + n - 4, "\r\n\r\n", 4) != 0))
				__builtin_trap();
		}
		(void)rtsp_decide(&rq, (int)(off & 1));
		if (rq.rr_head_len + rq.rr_body_len > size - off)
			break; /* the body is not all here */
		off += rq.rr_head_len + rq.rr_body_len;
	}
	return 0;
}
