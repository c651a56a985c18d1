/* vuln: what each persona's vulnerable firmware answered to its own vendor's published flaws. */
#ifndef CAMDECOY_VULN_H
#define CAMDECOY_VULN_H

#include <stddef.h>
#include <stdint.h>

#include "exploit.h"
#include "request.h"

/* The answer of rq's persona to the attempt x (rq->rq_exploit), as the
 * firmware generation the persona imitates gave it: 1 and *act set (out
 * filled, or the request parked for a snapshot), or 0 when the persona's
 * firmware did not have the flaw (the caller routes as usual: the 404).
 * A leak that discloses a credential issues a fresh trap credential to the
 * requester (rq->rq_leak). Nothing is executed, written or fetched. */
int vuln_answer(request_s *rq, const exploit_rule_s *x, reply_s *out, web_action_e *act);

/* The file an earlier CVE-2021-36260 attempt "wrote" under webLib/ (path
 * as requested, query stripped): 1 and out filled with its static output;
 * 0 when there is none. */
int vuln_weblib(request_s *rq, const char *path, reply_s *out);

/* Hikvision's configuration file for the user admin with password pass:
 * the layout below, XORed with 73 8B 55 44 repeating and then AES-128-ECB
 * encrypted with the firmware's published key (decryptors undo it in the
 * other order and skip the first block). A malloc'd buffer (*len bytes, a
 * multiple of 16), NULL when out of memory. Exposed for the tests. */
uint8_t *vuln_hik_config(const char *model, const char *serial, const char *pass, size_t *len);

/* Characters the public configuration-file decryptors keep in a string. */
int vuln_decryptor_safe(const char *s);

#endif
