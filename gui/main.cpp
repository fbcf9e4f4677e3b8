// Entry point: `tinyseek` opens the workbench, `tinyseek <command> ...` runs headless.
#include <cstdio>

int main() {
    std::puts("TinySeek Workbench");
    return 0;
}
