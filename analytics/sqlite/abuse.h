/* abuse: per network operator (AS), the addresses that tried logins or used a trap credential,
 * and their XARF notices, over the SQLite databases; and the viewer funnel. */
#ifndef CAMDECOY_ABUSE_H
#define CAMDECOY_ABUSE_H

#include <stdio.h>

#include "notices.h"
#include "query.h"

/* Two tables: "abuse", a row per login attempt, grouped by AS and address,
 * and "abuse_exploits", per AS, address and rule the exploitation attempts
 * (asn_only > 0: that AS alone). 0 or -1 with rp_err filled. */
int abuse_table(report_s *rp, table_s **out, long long asn_only);

/* The XARF notices of AS asn (notices.h): nothing of another AS is read
 * into a notice. 0 or -1 with rp_err filled. */
int abuse_xarf(report_s *rp, long long asn, const abuse_reporter_s *rep, FILE *out);

/* One table "funnel": hosts that requested anything -> fetched a frame ->
 * watched over 10 s / 60 s / 4 min (one view) -> tried a login -> used a
 * trap credential, in all, per referer class and per country. */
int funnel_table(report_s *rp, table_s **out);

#endif
