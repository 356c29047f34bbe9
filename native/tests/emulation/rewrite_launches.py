#!/usr/bin/env python3
"""Copies a .cu/.cuh file for the CPU emulation build, rewriting each kernel launch, the one
construct of CUDA C++ a C++ compiler cannot parse:

    kernel<<<grid, block>>>(args)        ->  ::emu::launch_call(grid, block, [&] { kernel(args); })
    kernel<<<grid, block, smem>>>(args)  ->  ::emu::launch(kernel, grid, block, smem)(args)

The first form lets C++ deduce a kernel template's remaining arguments from the call, as a
launch does; the second keeps the kernel's address, which the emulator needs to check dynamic
shared memory against cudaFuncSetAttribute (such launches name a fully specified kernel).
Everything else compiles as it is against the emulation headers.
Usage: rewrite_launches.py SOURCE OUTPUT"""
import re
import sys

# a kernel name, possibly with template arguments, directly before <<<
NAME = re.compile(r"([A-Za-z_][\w:]*(?:<[^<>;()]*>)?)\s*$")  # a formatter may break the line before <<<


def balanced(text, start, open_char, close_char):
    """Index just past the bracket that closes the one at text[start]."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == open_char:
            depth += 1
        elif text[i] == close_char:
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError("unbalanced %s at offset %d" % (open_char, start))


def top_level_commas(text):
    depth, count = 0, 0
    for ch in text:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        elif ch == "," and depth == 0:
            count += 1
    return count


def rewrite(text):
    out, pos, count = [], 0, 0
    while True:
        at = text.find("<<<", pos)
        if at < 0:
            out.append(text[pos:])
            return "".join(out), count
        name = NAME.search(text[pos:at])
        if not name:
            raise ValueError("no kernel name before <<< at offset %d" % at)
        name_start = pos + name.start(1)
        config_end = text.find(">>>", at)
        config = text[at + 3:config_end]
        args_start = config_end + 3
        if text[args_start] != "(":
            raise ValueError("no argument list after >>> at offset %d" % config_end)
        args_end = balanced(text, args_start, "(", ")")
        args = text[args_start + 1:args_end - 1]
        kernel = name.group(1)
        out.append(text[pos:name_start])
        if top_level_commas(config) >= 2:
            out.append("::emu::launch(%s, %s)(%s)" % (kernel, config, args))
        else:
            out.append("::emu::launch_call(%s, [&] { %s(%s); })" % (config, kernel, args))
        pos = args_end
        count += 1


def main():
    source, output = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        text = f.read()
    rewritten, count = rewrite(text)
    with open(output, "w", encoding="utf-8") as f:
        f.write('#line 1 "%s"\n' % source)
        f.write(rewritten)
    print("%s: %d launches rewritten" % (source, count))


if __name__ == "__main__":
    main()
