/* SPDX-License-Identifier: MIT */
/* Minimal stand-in for IGT's lib/ioctl_wrappers.h: only igt_ioctl. */
#ifndef IOCTL_WRAPPERS_H
#define IOCTL_WRAPPERS_H

/* defaults to drmIoctl(); tests may swap it (as upstream allows) */
extern int (*igt_ioctl)(int fd, unsigned long request, void *arg);

#endif /* IOCTL_WRAPPERS_H */
