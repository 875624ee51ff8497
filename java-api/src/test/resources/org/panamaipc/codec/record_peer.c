/*
 * The C peer of RecordCodecCTest: built by the test against the header that
 * RecordCodec.of(CodecRecords.Order.class).cHeader() emits (Order.h), so it sees the record only as
 * that header declares it.
 *
 * Usage: record_peer FILE. FILE holds three struct Orders: Java wrote slot 0 with encode and slot 1
 * field by field (RecordField); this program checks both against the values of
 * CodecRecords.javaOrder(), then writes slot 2 with those of CodecRecords.cOrder() for Java to check.
 * Prints "record_peer: ok" and exits 0 if every field was as expected; names each field that was not.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "Order.h"

static int failures;

#define CHECK(slot, cond)                                                    \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("record_peer: slot %d: %s is false\n", (slot), #cond);    \
            failures++;                                                      \
        }                                                                    \
    } while (0)

/* CodecRecords.javaOrder() */
static void check_java_order(const struct Order *o, int slot)
{
    /* "Grüße €": 11 bytes of UTF-8, then NULs to the end of the 13-byte field */
    static const char symbol[13] = "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac";

    CHECK(slot, o->kind == -7);
    CHECK(slot, o->id == 0x0102030405060708LL);
    CHECK(slot, memcmp(o->symbol, symbol, sizeof o->symbol) == 0);
    CHECK(slot, strnlen(o->symbol, sizeof o->symbol) == 11);
    CHECK(slot, o->buy == true);
    CHECK(slot, o->levels[0] == 1 && o->levels[1] == -2 && o->levels[2] == 3 && o->levels[3] == -4
                && o->levels[4] == 2000000000);
    CHECK(slot, o->side == 0xe9);
    CHECK(slot, o->quote.bid == 101.25 && o->quote.ask == 101.5);
    CHECK(slot, o->quote.sizes[0] == 10 && o->quote.sizes[1] == -20 && o->quote.sizes[2] == 30);
    CHECK(slot, o->quote.best.price == -99 && o->quote.best.size == 7);
    CHECK(slot, o->weight == -0.75f);
    CHECK(slot, o->flags[0] == true && o->flags[1] == false && o->flags[2] == true);
    CHECK(slot, o->marks[0] == 3.141592653589793 && o->marks[1] == -1e300);
    CHECK(slot, o->code[0] == 'J' && o->code[1] == 0x20ac && o->code[2] == 'v');
    CHECK(slot, o->raw[0] == 1 && o->raw[1] == -1 && o->raw[2] == 127 && o->raw[3] == -128);
    CHECK(slot, o->ids[0] == INT64_MIN && o->ids[1] == INT64_MAX);
    CHECK(slot, o->ratios[0] == 1.5f && o->ratios[1] == -2.25f);
    CHECK(slot, o->tail == -12345);
}

/* CodecRecords.cOrder() */
static void write_c_order(struct Order *o)
{
    memset(o, 0xa5, sizeof *o); /* padding holds garbage: Java must not read it */
    o->kind = 42;
    o->id = -5;
    memcpy(o->symbol, "ABCDEFGHIJKLM", sizeof o->symbol); /* full: no terminator */
    o->buy = false;
    for (int i = 0; i < 5; i++) {
        o->levels[i] = 5 - i;
    }
    o->side = 'C';
    o->quote.bid = -0.5;
    o->quote.ask = 0.25;
    o->quote.sizes[0] = -1;
    o->quote.sizes[1] = 0;
    o->quote.sizes[2] = 1;
    o->quote.best.price = 123456;
    o->quote.best.size = -2;
    o->weight = 3.0f;
    o->flags[0] = false;
    memset(&o->flags[1], 2, 1); /* not 0 or 1: Java reads any byte but 0 as true */
    o->flags[2] = true;
    o->marks[0] = 2.5;
    o->marks[1] = -0.125;
    o->code[0] = 'c';
    o->code[1] = 0xdf;
    o->code[2] = 0x4e2d;
    o->raw[0] = 9;
    o->raw[1] = 8;
    o->raw[2] = 7;
    o->raw[3] = 6;
    o->ids[0] = -1;
    o->ids[1] = INT64_C(1) << 40;
    o->ratios[0] = 0.5f;
    o->ratios[1] = -8.0f;
    o->tail = 321;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: record_peer FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDWR);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[1]);
        return 2;
    }
    if ((size_t) st.st_size < 3 * sizeof(struct Order)) {
        fprintf(stderr, "record_peer: %s has %lld bytes, not 3 x %zu\n", argv[1], (long long) st.st_size,
                sizeof(struct Order));
        return 2;
    }
    struct Order *orders = mmap(NULL, 3 * sizeof(struct Order), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (orders == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    check_java_order(&orders[0], 0);
    check_java_order(&orders[1], 1);
    write_c_order(&orders[2]);
    if (msync(orders, 3 * sizeof(struct Order), MS_SYNC) != 0) {
        perror("msync");
        return 2;
    }
    munmap(orders, 3 * sizeof(struct Order));
    close(fd);
    if (failures == 0) {
        printf("record_peer: ok, struct Order is %zu bytes\n", sizeof(struct Order));
    }
    return failures == 0 ? 0 : 1;
}
