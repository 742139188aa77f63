#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    int fd = open("data.bin", O_RDONLY);
    char *p = mmap(NULL, 1 << 20, PROT_READ, MAP_PRIVATE, fd, 0);
    char *h = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fprintf(stderr, "%lx-%lx data.bin\n%lx-%lx heap\n", (unsigned long)p,
            (unsigned long)p + (1 << 20), (unsigned long)h, (unsigned long)h + (1 << 16));
    volatile char s = 0;
    for (int i = 0; i < 6; i++) {
        s += p[i * 40 * 4096 + 100];
        h[i * 4096] = 1;
        usleep(1000);
    }
    return s;
}
