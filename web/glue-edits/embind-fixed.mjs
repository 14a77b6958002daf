// What the edits before leave with one answer for the fixed bindings: runtime checks that cannot
// fail, fields and tables nothing reads, identities and single cases, unread arguments.
// Applied in order by web/trim-glue.mjs (see its header for the rules every edit follows).
import { id } from './id.mjs';

export const EMBIND_FIXED = [
  // The runtime's checks that cannot fail here: loader.js instantiates through WebAssembly
  // itself and its instantiateWasm never throws (it returns {} and reports through its promise);
  // the run-dependency watcher is set only with ASSERTIONS; the global object is `globalThis`
  // (ES2020); a stand-in's leftover `null;`.
  {
    what: 'runtime checks that cannot fail',
    find: new RegExp(
      [
        `"object"!=typeof WebAssembly&&${id}\\("no native wasm support detected"\\);`,
        `null!==${id}&&\\(clearInterval\\(${id}\\),${id}=null\\),`,
        `try\\{(?=return ${id}\\.instantiateWasm)`,
        `(?<=instantiateWasm\\(${id},${id}\\))\\}catch\\(${id}\\)\\{return ${id}\\("Module\\.instantiateWasm callback failed with error: "\\+\\s*${id}\\),!1\\}`,
        `if\\("object"==typeof globalThis\\)(?=return globalThis)`,
        `(?<=return function\\(\\)\\{)null;`,
      ].join('|'),
      'g'),
    count: 6,
    by: '',
  },
  // What embind stores for the class and its handles that nothing reads after the edits above:
  // the class's destructor, cast helpers and pure-virtual list, the pointer types' unused fields
  // and the registered-pointer table, the handle's reference count, the argument counts kept for
  // overloads; the check for a deleted handle (nothing deletes the one handle) and the pointee
  // destructor that does nothing; the finalization registry's stand-in (none without smart pointers).
  {
    what: 'embind fields nothing reads, and checks for deletions that never happen',
    find: new RegExp(
      [
        `(?<=this\\.constructor=${id};this\\.${id}=${id};)this\\.${id}=${id};`,
        `;this\\.${id}=${id};this\\.\\$=${id};this\\.${id}=${id};this\\.${id}=\\[\\](?=\\})`,
        `this\\.${id}=!1;this\\.${id}=this\\.${id}=this\\.${id}=this\\.${id}=this\\.${id}=this\\.${id}=void 0;`,
        `${id}\\[${id}\\]=\\{pointerType:${id},${id}:${id}\\};`,
        `${id}\\.count=\\{value:1\\};`,
        `,${id}\\[${id}\\]\\.${id}=${id}(?=\\))`,
        `${id}\\.${id}=${id}-2,(?=${id}\\[${id}\\]=${id}\\))`,
        `${id}\\.${id}\\.${id}\\|\\|${id}\\("Cannot pass deleted object as a pointer of type "\\+this\\.name\\);`,
        `(?<=return )this\\.${id}\\(${id}\\),(?=null;)`,
        `${id}\\.prototype\\.${id}=function\\(${id}\\)\\{\\};`,
        `if\\("undefined"===typeof FinalizationRegistry\\)return ${id}=${id}=>${id},${id};`,
        `(?<==${id}=>\\{)var ${id}=${id}\\.${id};(?=return ${id}\\};return)`,
      ].join('|'),
      'g'),
    count: 13,
    by: '',
  },
  // std::string is the one string type registered (wasm/bindings/BuiltinTypes.cpp) and only
  // strings reach it: the facade passes strings (String(), JSON.stringify) and the adapters call
  // `as<std::string>()` after `isString()`. Its typed-array input and the tests for the other
  // string types go.
  {
    what: "std::string's typed-array input and other-string-type tests",
    find: new RegExp(
      [
        `var ${id}="std::string"===${id};`,
        `if\\(${id}\\)(?=for\\(var ${id}=${id}\\+4,)`,
        `${id} instanceof ArrayBuffer&&\\(${id}=new Uint8Array\\(${id}\\)\\);`,
        `${id} instanceof Uint8Array\\|\\|${id} instanceof Uint8ClampedArray\\|\\|${id} instanceof Int8Array\\|\\|`,
        `${id}&&${id}\\?(?=\\(\\)=>\\{for)`,
        `:\\(\\)=>${id}\\.length(?=\\)\\(\\))`,
        `if\\(${id}&&${id}\\)(?=${id}\\(${id},${id}\\+4,${id}\\+1\\))`,
        `else for\\(${id}=0;${id}<${id};\\+\\+${id}\\)${id}\\[${id}\\+4\\+${id}\\]=${id}\\[${id}\\];`,
      ].join('|'),
      'g'),
    count: 8,
    by: '',
  },
  // Paths for what the bindings never have: a 64-bit signature (no 64-bit type; its dynCall
  // wrapper is gone above, so the signature is not read), an unsigned integer (`int` alone), and a
  // class name that is not a legal JS name (the one class is `SdkHandle`).
  {
    what: 'paths for 64-bit signatures, unsigned integers and illegal class names',
    find: new RegExp(
      [
        `(?<=function ${id}\\(${id},${id}\\)\\{)${id}=${id}\\(${id}\\);(?=var ${id}=${id}\\.includes\\("j"\\))`,
        `${id}\\.includes\\("j"\\)\\?${id}\\(${id},${id}\\):`,
        `${id}\\.includes\\("unsigned"\\)\\?function\\(${id},${id}\\)\\{return ${id}>>>0\\}:`,
        `(?<=case 2:return )${id}\\?(?=function)`,
        `(?<=return ${id}\\[${id}>>2\\]\\}):function\\(${id}\\)\\{return ${id}\\[${id}>>2\\]\\}`,
        `function ${id}\\(${id}\\)\\{${id}=${id}\\.replace\\(/\\[\\^a-zA-Z0-9_\\]/g,"\\$"\\);var ${id}=${id}\\.charCodeAt\\(0\\);return 48<=${id}&&57>=${id}\\?"_"\\+${id}:${id}\\}`,
        `(?<=var ${id}=\\s*)${id}(?=\\(${id}\\);\\s*${id}\\(\\[${id},${id},${id}\\])`,
      ].join('|'),
      'g'),
    count: 7,
    by: '',
  },
  // Checks with one answer for the fixed bindings: every type id in the wasm is registered
  // (BuiltinTypes and the class), so a call's or `as`'s type lookup always finds its type (the
  // check's type-name export wrapper and the names it printed go with it); the class has no base
  // class; Module.preRun/postRun are never given (their queues stay empty).
  {
    what: 'type lookups that always succeed, the base-class test, empty run queues',
    find: new RegExp(
      [
        `void 0===${id}&&${id}\\(${id}\\+" has unknown type "\\+${id}\\(${id}\\)\\);`,
        `function ${id}\\(${id}\\)\\{${id}=${id}\\(${id}\\);var ${id}=${id}\\(${id}\\);${id}\\(${id}\\);return ${id}\\}`,
        `${id}=function\\(\\)\\{return\\(${id}=${id}\\.asm\\.${id}\\)\\.apply\\(null,arguments\\)\\},(?=${id}=function\\(\\)\\{return\\(${id}=${id}\\.asm\\.${id}\\)\\.apply\\(null,arguments\\)\\},${id}=function)`,
        `,(?:"emval::as"|\\s*"parameter "\\+${id}|"_emval_take_value")(?=\\))`,
        `void 0!==${id}\\.${id}\\?this\\.toWireType=${id}:`,
        `;this\\.${id}=${id}(?=\\}\\s*function ${id}\\(${id},${id},${id}\\)\\{return ${id}\\})`,
        `${id}\\(${id}\\),(?=0<${id}\\|\\|${id}\\|\\|\\(${id}=!0,)`,
        `,${id}\\(${id}\\)(?=\\)\\)\\)\\}${id}\\(\\);)`,
      ].join('|'),
      'g'),
    count: 10,
    by: '',
  },
  // The const pointer's converter: only the class's constructor makes handles (no binding
  // returns an SdkHandle pointer), never from the const pointer type, so no handle is const and
  // the const pointer converts like the plain pointer.
  {
    what: "the const pointer's own converter",
    find: new RegExp(
      [
        `function ${id}\\(${id},${id}\\)\\{if\\(null===${id}\\)return this\\.${id}&&${id}\\("null is not a valid "\\+this\\.name\\),0;${id}\\.${id}\\|\\|${id}\\('Cannot pass "'\\+${id}\\(${id}\\)\\+'" as a '\\+this\\.name\\);return ${id}\\(${id}\\.${id}\\.${id},${id}\\.${id}\\.${id}\\.${id},this\\.${id}\\)\\}`,
        `${id}\\.${id}\\.${id}\\.${id}&&${id}\\("Cannot convert argument of type "\\+${id}\\.${id}\\.${id}\\.name\\+" to parameter type "\\+this\\.name\\);`,
        `(?<=this\\.toWireType=)${id}\\?${id}:(?=${id},)`,
        `this\\.${id}=${id};(?=\\(this\\.toWireType=)`,
      ].join('|'),
      'g'),
    count: 4,
    by: '',
  },
  // The upcast from a handle's class to the parameter's, now always the same class: the
  // pointer itself.
  {
    what: 'the identity upcast',
    find: new RegExp(
      [
        `function ${id}\\(${id},${id},${id}\\)\\{return ${id}\\}`,
        `(?<=return )${id}\\((?=${id}\\.${id}\\.${id},${id}\\.${id}\\.${id}\\.${id},this\\.${id}\\)\\})`,
        `(?<=return ${id}\\(${id}\\.${id}\\.${id}),${id}\\.${id}\\.${id}\\.${id},this\\.${id}\\)(?=\\})`,
      ].join('|'),
      'g'),
    count: 3,
    by: '',
  },
  // Leftovers of the edits above: the heap views nothing reads any more (2-byte integers, 4-byte
  // floats), the empty pre-/post-run queues and the dependency watcher's variable, the type test of
  // the one init function queued (the wasm's constructors).
  {
    what: 'unread heap views and variables, the init queue type test',
    find: new RegExp(
      [
        `${id}=new (?:Int16|Uint16|Float32)Array\\(${id}\\);`,
        `if\\("function"==typeof ${id}\\)(?=${id}\\(${id}\\);?\\s*\\}\\})`,
        `(?<=var ${id},)${id}=\\[\\],(?=${id}=\\[\\],${id}=\\[\\],${id}=0,)`,
        `(?<=var ${id},${id}=\\[\\],${id}=\\[\\],)${id}=\\[\\],(?=${id}=0,${id}=null,)`,
        `(?<=${id}=\\[\\],${id}=0,)${id}=null,`,
      ].join('|'),
      'g'),
    count: 7,
    by: '',
  },
  // What the edits above left as identities or single cases: the finalization stand-in and the
  // pointee getter return their argument; the number readers' switches have one case each; the
  // UTF-8 writer always has room (it is given the string's length plus one); every BindingError
  // has a message.
  {
    what: 'identity helpers, one-case switches, conditions that always hold',
    find: new RegExp(
      [
        `switch\\(${id}\\)\\{case [23]:(?=return function\\(${id}\\)\\{return (?:this\\.fromWireType\\()?${id}\\[${id}>>[23]\\]\\)?\\};?\\s*\\}\\})`,
        `(?<=return function\\(${id}\\)\\{return (?:this\\.fromWireType\\()?${id}\\[${id}>>[23]\\]\\)?\\};?\\s*)\\}(?=\\})`,
        `if\\(0<${id}\\)\\{(?=${id}=${id}\\+${id}-1;)`,
        `(?<=${id}\\[${id}\\]=0)\\}(?=\\}var )`,
        `(?<=return )${id}\\((?=Object\\.create\\(${id},\\{${id}:\\{value:${id}\\}\\}\\)\\))`,
        `(?<=Object\\.create\\(${id},\\{${id}:\\{value:${id}\\}\\}\\))\\)(?=\\})`,
        `function ${id}\\(${id}\\)\\{${id}=${id}=>\\{return ${id}\\};return ${id}\\(${id}\\)\\}`,
        `(?<=var ${id}=)this\\.${id}\\((?=${id}\\);if\\(!${id}\\)return null)`,
        `(?<=var ${id}=this\\.${id}\\(${id})\\)(?=;if\\(!${id}\\)return null)`,
        `${id}\\.prototype\\.${id}=function\\(${id}\\)\\{return ${id}\\};`,
        `void 0===this\\.message\\?this\\.name:`,
      ].join('|'),
      'g'),
    count: 13,
    by: '',
  },
  // Tables nothing fills or reads after the edits above: the registered-pointer table and its
  // neighbour, the emval symbol table (no symbol registered: a name is always read from memory),
  // and the class's type-getter and destructor function lookups (the class keeps neither).
  {
    what: 'unfilled tables and unused function lookups',
    find: new RegExp(
      [
        `var ${id}=\\{\\},${id}=\\[\\];(?=\\s*function ${id}\\(${id},${id}\\)\\{return Object\\.create)`,
        `var ${id}=\\{\\};(?=\\s*function ${id}\\(${id}\\)\\{var ${id}=${id}\\[${id}\\];return void 0===)`,
        `(?<=function ${id}\\(${id}\\)\\{)var ${id}=${id}\\[${id}\\];(?=return void 0===)`,
        `void 0===${id}\\?(?=${id}\\(${id}\\):${id}\\})`,
        `(?<=\\?${id}\\(${id}\\)):${id}(?=\\}\\s*function ${id}\\(\\)\\{return globalThis)`,
        `${id}=${id}\\(${id},${id}\\);${id}=${id}\\(${id},${id}\\);(?=var ${id}=\\s*\\(${id}\\);)`,
      ].join('|'),
      'g'),
    count: 6,
    by: '',
  },
  // Arguments nothing reads after the edits above: the class's destructor, base class and cast
  // helpers, a pointer type's constness; the class's base-class dependency (it has none).
  {
    what: 'unread class and pointer type arguments',
    find: new RegExp(
      [
        `(?<=function ${id}\\(${id},${id},${id}),${id},${id},${id},${id},${id}(?=\\)\\{this\\.name=${id};this\\.constructor=)`,
        `(?<=new ${id}\\(${id},${id},${id}),${id},${id},${id},${id},${id}(?=\\);)`,
        `(?<=new ${id}\\(${id}(?:\\+"\\*"|\\+" const\\*")?,${id},![01]),![01](?=\\))`,
        `(?<=function ${id}\\(${id},${id},${id}),${id}(?=\\)\\{this\\.name=${id};this\\.${id}=${id};this\\.${id}=${id};\\(this\\.toWireType)`,
        `(?<=\\[${id},${id},${id}\\],)${id}\\?\\[${id}\\]:`,
        // a method's previous value, read for the overload table (gone above)
        `(?<=var ${id}=${id}\\.${id}\\.${id}),${id}=${id}\\[${id}\\](?=;${id}\\(\\[\\],${id},function)`,
      ].join('|'),
      'g'),
    count: 8,
    by: '',
  },
  // Leftovers: the number readers' arguments and the sizes computed for them (each reader now
  // has one case), the test for Module.instantiateWasm (loader.js always gives it), a repeated
  // run-dependency test.
  {
    what: "the number readers' arguments, the instantiateWasm test, a repeated test",
    find: new RegExp(
      [
        `(?<=readValueFromPointer:${id}\\()${id},${id}(?:,0!==${id})?(?=\\),${id}:null\\}\\)\\})`,
        `${id}=${id}\\(${id}\\);(?=${id}=${id}\\(${id}\\);\\s*${id}\\(${id},\\{name:${id},fromWireType:function\\(${id}\\)\\{return ${id}\\},)`,
        `(?<=${id}=${id}\\(${id}\\);)${id}=${id}\\(${id}\\);(?=var ${id}=${id}=>${id};)`,
        `if\\(${id}\\.instantiateWasm\\)(?=return ${id}\\.instantiateWasm)`,
        `(?<=0<${id}\\|\\|\\()0<${id}\\|\\|`,
      ].join('|'),
      'g'),
    count: 6,
    by: '',
  },
  // Conditions with one answer here: a std::string segment's start is a heap address, never 0;
  // the one constructor registered finds no constructor table before it.
  {
    what: 'a segment start that is never 0, the one constructor table',
    find: new RegExp(
      [
        `if\\(${id}\\)\\{(?=for\\(var ${id}=${id}\\+\\(${id}-${id}\\),${id}=${id};)`,
        `(?<=\\.subarray\\(${id},${id}\\)\\))\\}else ${id}=""`,
        `void 0===${id}\\.${id}\\.${id}&&(?=\\(${id}\\.${id}\\.${id}=\\[\\]\\);)`,
        // `bool` is one byte (BuiltinTypes registers it with sizeof(bool))
        `if\\(1===${id}\\)(?=var ${id}=${id};\\s*return this\\.fromWireType)`,
      ].join('|'),
      'g'),
    count: 4,
    by: '',
  },
  // The table of each type's dependencies, written and cleared but read only by the unbound-type
  // errors (gone above).
  {
    what: 'the type dependency table',
    find: new RegExp(
      [
        `(?<=var ${id}=\\{\\},${id}=\\{\\}),${id}=\\{\\}(?=;)`,
        `${id}\\.forEach\\(function\\(${id}\\)\\{${id}\\[${id}\\]=${id}\\}\\);`,
        `delete ${id}\\[${id}\\];(?=${id}\\.hasOwnProperty)`,
      ].join('|'),
      'g'),
    count: 3,
    by: '',
  },
];
