/*
 * Sample traced program: a small server's request loop. A client and the server share a
 * socketpair; the client sends 120 requests ("GET /item/K"), the server parses each, looks the
 * item up in a hash table of 256 entries and writes a response the client reads back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct Item { char key[16]; char value[48]; struct Item *next; } Item;
static Item *table[128];

static unsigned hash(const char *s) {
  unsigned h = 2166136261u;
  while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h % 128;
}

static void put(const char *key, const char *value) {
  Item *item = calloc(1, sizeof *item);
  snprintf(item->key, sizeof item->key, "%s", key);
  snprintf(item->value, sizeof item->value, "%s", value);
  unsigned h = hash(key);
  item->next = table[h];
  table[h] = item;
}

static const char *get(const char *key) {
  for (Item *item = table[hash(key)]; item; item = item->next)
    if (strcmp(item->key, key) == 0) return item->value;
  return NULL;
}

static void serve(int fd) {
  char request[128], response[160];
  ssize_t n = read(fd, request, sizeof request - 1);
  if (n <= 0) return;
  request[n] = 0;
  char key[16] = "";
  const char *value = NULL;
  if (sscanf(request, "GET /item/%15s", key) == 1) value = get(key);
  int length = value ? snprintf(response, sizeof response, "200 OK %s\n", value)
                     : snprintf(response, sizeof response, "404 Not Found\n");
  if (write(fd, response, (size_t)length) != length) exit(1);
}

int main(void) {
  char key[16], value[48];
  for (int i = 0; i < 256; i++) {
    snprintf(key, sizeof key, "%d", i);
    snprintf(value, sizeof value, "item number %d, price %d.%02d", i, i * 7 % 100, i % 100);
    put(key, value);
  }
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 1;
  unsigned state = 1987, found = 0;
  for (int r = 0; r < 120; r++) {
    char request[64], reply[160];
    state = state * 1103515245u + 12345u;
    int length = snprintf(request, sizeof request, "GET /item/%u HTTP/1.0\r\n\r\n", (state >> 8) % 300);
    if (write(fds[0], request, (size_t)length) != length) return 1;
    serve(fds[1]);
    ssize_t n = read(fds[0], reply, sizeof reply - 1);
    if (n > 0 && reply[0] == '2') found++;
  }
  printf("%u of 120 found\n", found);
  return 0;
}
