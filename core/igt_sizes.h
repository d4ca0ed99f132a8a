/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for IGT's lib/igt_sizes.h: the SZ_* sizes the tests use, with
 * upstream's names and values, so that the same test sources build here
 * and inside IGT (where upstream's header replaces this one and igt.h
 * already includes it) without redefinitions.
 */
#ifndef __IGT_SIZES_H__
#define __IGT_SIZES_H__

#define SZ_4K	0x00001000
#define SZ_64K	0x00010000
#define SZ_256K	0x00040000
#define SZ_1M	0x00100000
#define SZ_2M	0x00200000
#define SZ_4M	0x00400000

#endif /* __IGT_SIZES_H__ */
