#!/usr/bin/env python3
"""Lists what takes room in a .wasm: section sizes, then the largest functions by body size,
named through emscripten's --emit-symbol-map file (index:name per line). No wabt needed.
Usage: wasm_top.py module.wasm [module.js.symbols] [count]"""
import sys
from collections import defaultdict


def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def main():
    path = sys.argv[1]
    symbols_path = sys.argv[2] if len(sys.argv) > 2 else path.rsplit('.', 1)[0] + '.js.symbols'
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    data = open(path, 'rb').read()
    names = {}
    try:
        for line in open(symbols_path):
            idx, _, name = line.rstrip('\n').partition(':')
            names[int(idx)] = name
    except OSError:
        pass
    pos, imported, bodies = 8, 0, []
    section_names = {0: 'custom', 1: 'type', 2: 'import', 3: 'function', 5: 'memory', 6: 'global', 7: 'export',
                     9: 'elem', 10: 'code', 11: 'data'}
    print('section sizes:')
    while pos < len(data):
        sid = data[pos]
        size, body = leb(data, pos + 1)
        print(f'  {section_names.get(sid, sid):>9} {size:8}')
        if sid == 2:  # count imported functions: they come first in the index space
            n, p = leb(data, body)
            for _ in range(n):
                for _ in range(2):
                    ln, p = leb(data, p)
                    p += ln
                kind = data[p]
                p += 1
                if kind == 0:
                    _, p = leb(data, p)
                    imported += 1
                elif kind == 1:
                    p += 1
                    flags, p = leb(data, p)
                    _, p = leb(data, p)
                    if flags & 1:
                        _, p = leb(data, p)
                elif kind == 2:
                    flags, p = leb(data, p)
                    _, p = leb(data, p)
                    if flags & 1:
                        _, p = leb(data, p)
                else:
                    p += 2
        if sid == 10:
            n, p = leb(data, body)
            for i in range(n):
                ln, p2 = leb(data, p)
                bodies.append((ln, imported + i))
                p = p2 + ln
        pos = body + size
    bodies.sort(reverse=True)
    total = sum(b for b, _ in bodies)
    print(f'{len(bodies)} functions, {total} bytes of code; largest:')
    for size, idx in bodies[:count]:
        print(f'  {size:6}  {names.get(idx, "#" + str(idx))[:110]}')
    groups = defaultdict(int)
    for size, idx in bodies:
        name = names.get(idx, '')
        key = ('embind' if 'emscripten' in name or 'embind' in name or name.startswith('_embind') else
               'bindings' if name.startswith('sb_') else
               'core' if 'sb::sdk' in name and 'browser' not in name else
               'browser' if 'browser' in name else
               'libc++' if 'std::' in name else 'other')
        groups[key] += size
    print('code bytes by origin (from symbol names):')
    for key, size in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f'  {key:8} {size:7}')


main()
