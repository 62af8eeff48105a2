// The libfido2 side of libfido2.test.ts: C compiled at test time against Debian's libfido2-dev.
// Kept as a string because uvu loads every file under test/ that its pattern matches as a suite.
export const FIDO_UDP_C = String.raw`#include <fido.h>
#include <fido/es256.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* libfido2 1.12 against keyloop's token over the Solo-simulator UDP transport (INTEROP.md):
 * fido_dev_set_io_functions reaches a socket; libfido2 itself checks our output with
 * fido_cred_verify and fido_assert_verify. Usage: fido_udp DEVICE_PORT REPLY_PORT */

struct udp_handle { int fd; struct sockaddr_in device; };
static int device_port, reply_port;

static void *udp_open(const char *path) {
  (void)path;
  struct udp_handle *h = calloc(1, sizeof *h);
  struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(reply_port) };
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  h->fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (h->fd < 0 || bind(h->fd, (struct sockaddr *)&local, sizeof local) != 0) {
    if (h->fd >= 0) close(h->fd);
    free(h);
    return NULL;
  }
  h->device.sin_family = AF_INET;
  h->device.sin_port = htons(device_port);
  h->device.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return h;
}

static void udp_close(void *handle) {
  struct udp_handle *h = handle;
  close(h->fd);
  free(h);
}

/* One datagram is one 64-byte report. */
static int udp_read(void *handle, unsigned char *buf, size_t len, int ms) {
  struct udp_handle *h = handle;
  struct pollfd p = { .fd = h->fd, .events = POLLIN };
  if (poll(&p, 1, ms < 0 ? -1 : ms) <= 0) return -1;
  ssize_t n = recv(h->fd, buf, len, 0);
  return n < 0 ? -1 : (int)n;
}

/* libfido2 writes report id 0 then 64 bytes; the datagram carries the 64 bytes only. */
static int udp_write(void *handle, const unsigned char *buf, size_t len) {
  struct udp_handle *h = handle;
  if (len != 65) return -1;
  if (sendto(h->fd, buf + 1, 64, 0, (struct sockaddr *)&h->device, sizeof h->device) != 64) return -1;
  return (int)len;
}

static void check(int r, const char *what) {
  if (r != FIDO_OK) {
    printf("{\"error\": \"%s: %s (%d)\"}\n", what, fido_strerr(r), r);
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  device_port = atoi(argv[1]);
  reply_port = atoi(argv[2]);
  fido_init(0); /* FIDO_DEBUG=1 in the environment logs every frame */
  fido_dev_t *dev = fido_dev_new();
  fido_dev_io_t io = { udp_open, udp_close, udp_read, udp_write };
  check(fido_dev_set_io_functions(dev, &io), "set io");
  check(fido_dev_open(dev, "udp"), "open");

  unsigned char cdh[32], user_id[8] = "user-1";
  memset(cdh, 0x11, sizeof cdh);
  fido_cred_t *cred = fido_cred_new();
  check(fido_cred_set_type(cred, COSE_ES256), "cred type");
  check(fido_cred_set_clientdata_hash(cred, cdh, sizeof cdh), "cred cdh");
  check(fido_cred_set_rp(cred, "keyloop.test", "keyloop"), "cred rp");
  check(fido_cred_set_user(cred, user_id, 6, "alice", NULL, NULL), "cred user");
  check(fido_dev_make_cred(dev, cred, NULL), "make cred");
  check(fido_cred_verify(cred), "cred verify");

  memset(cdh, 0x22, sizeof cdh);
  fido_assert_t *assert = fido_assert_new();
  check(fido_assert_set_clientdata_hash(assert, cdh, sizeof cdh), "assert cdh");
  check(fido_assert_set_rp(assert, "keyloop.test"), "assert rp");
  check(fido_assert_allow_cred(assert, fido_cred_id_ptr(cred), fido_cred_id_len(cred)), "allow cred");
  check(fido_dev_get_assert(dev, assert, NULL), "get assert");
  es256_pk_t *pk = es256_pk_new();
  check(es256_pk_from_ptr(pk, fido_cred_pubkey_ptr(cred), fido_cred_pubkey_len(cred)), "public key");
  check(fido_assert_verify(assert, 0, COSE_ES256, pk), "assert verify");

  printf("{\"fido2\": %s, \"fmt\": \"%s\", \"credentialIdLength\": %zu, \"sigcount\": %u, \"flags\": %u}\n",
         fido_dev_is_fido2(dev) ? "true" : "false", fido_cred_fmt(cred), fido_cred_id_len(cred),
         fido_assert_sigcount(assert, 0), fido_assert_flags(assert, 0));
  es256_pk_free(&pk);
  fido_assert_free(&assert);
  fido_cred_free(&cred);
  fido_dev_close(dev);
  fido_dev_free(&dev);
  return 0;
}
`;
