/* answer: the persona's reply written on the connection's socket by us (answer.c). */
#ifndef CAMDECOY_ANSWER_H
#define CAMDECOY_ANSWER_H

#include "request.h"
#include "respond.h"
#include "wire.h"

/* A reply's header block at most (the longest challenge is 256 bytes). */
#define ANSWER_HEAD_MAX 2048

/* Writes rp (whose release it takes) for rq on fd (-1: unknown, dropped):
 * at once when it fits in the socket's buffer, else through the wire's
 * thread with the connection suspended meanwhile (rq's waiter suspends and
 * resumes it). 1: handed to the wire (the connection stays, suspended);
 * 0: written at once, or dropped (the server closes the connection without
 * writing a byte). */
int answer_send(wire_s *wire, request_s *rq, int fd, const char *method, reply_s *rp);

/* The persona's page for status (400, 413, 414 or 431) written at once on
 * fd, for a request libmicrohttpd would answer with its own text. */
void answer_reject(respond_s *rs, int fd, unsigned status);

#endif
