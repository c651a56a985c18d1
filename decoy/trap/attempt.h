/* attempt: exploitation attempts on the doors that are not HTTP (Telnet lines, RTSP requests),
 * classified by exploit.c's rules and recorded as HTTP's are. */
#ifndef CAMDECOY_ATTEMPT_H
#define CAMDECOY_ATTEMPT_H

#include <stddef.h>
#include <stdint.h>

#include "identity.h"
#include "login.h"
#include "rtsp.h"

/* who: the session's peer, bound once (borrowed). A line typed on a Telnet session (len bytes kept
 * of orig typed; password: at the password prompt): an exploit.attempt row on channel "telnet" when
 * a rule names it (the line is the payload; its indicators read out), also
 * POSTed to ctx's webhook when lc_hook_exploits. At the password prompt only
 * a downloader counts: "system" or "enable" there is a guessed password.
 * Nothing is run. */
void attempt_telnet(const login_ctx_s *ctx, const identity_s *who, const char *line, size_t len,
                    size_t orig, int password, int64_t ts_ms);

/* An RTSP request (rq parsed from buf, n bytes there) answered status: the
 * same on channel "rtsp", matched on its method, the URI's path and query,
 * and its headers and body as the payload. */
void attempt_rtsp(const login_ctx_s *ctx, const identity_s *who, const rtsp_req_s *rq,
                  const uint8_t *buf, size_t n, unsigned status, int64_t ts_ms);

#endif
