// embind's code for what the SDK's fixed bindings never have (deleted handles, base classes, smart
// pointers, overloads, unregistered types and sizes) and its checks of the registrations.
// Applied in order by web/trim-glue.mjs (see its header for the rules every edit follows).
import { id } from './id.mjs';

export const EMBIND_UNUSED = [
  // Only the registered-instance path of a class pointer's fromWireType calls clone(): it holds
  // instances of smart pointers and subclasses, which the SDK's one class never registers.
  {
    what: "the class handle's clone",
    find: new RegExp(`${id}\\.prototype\\.clone=function\\(\\)\\{[^;]*;if\\([^)]*\\)return [^;]*;var [\\s\\S]*?return ${id}\\};(?=${id}\\.prototype\\["delete"\\])`, 'g'),
    count: 1,
    by: '',
  },
  // The SdkHandle lives as long as the page: the facade never deletes it (web/src/index.js), and
  // no class pointer is ever passed by value, the one use of deleteObject.
  {
    what: "the class handle's delete and the pointer type's deleteObject",
    find: new RegExp(
      `${id}\\.prototype\\["delete"\\]=function\\(\\)\\{[^}]*"Object already scheduled for deletion"\\);[^}]*\\};|` +
        `${id}\\.prototype\\.deleteObject=function\\(${id}\\)\\{if\\(null!==${id}\\)${id}\\["delete"\\]\\(\\)\\};`,
      'g'),
    count: 2,
    by: '',
  },
  {
    what: 'the "instance already deleted" error (clone, delete and deleteLater were its callers)',
    find: new RegExp(`function ${id}\\(${id}\\)\\{${id}\\(${id}(?:\\.${id})+\\.name\\+" instance already deleted"\\)\\}`, 'g'),
    count: 1,
    by: '',
  },
  // Two functions reached on paths the SDK's bindings never take (their one use stays, never
  // evaluated): the pointer conversion of a class with a base class or a smart pointer
  // (wasm/bindings/Bindings.cpp binds one class, with neither), and the dynCall wrapper for
  // signatures with a 64-bit integer ("j": wasm/bindings/BuiltinTypes.cpp registers no such type,
  // so a binding that used one would already fail as an unbound type).
  {
    what: 'the smart-pointer and base-class pointer conversion',
    find: new RegExp(
      `function ${id}\\(${id},${id}\\)\\{if\\(null===${id}\\)\\{this\\.${id}&&${id}\\("null is not a valid "\\+this\\.name\\);` +
        `[\\s\\S]*?default:${id}\\("Unsupporting sharing policy"\\)\\}return ${id}\\}`,
      'g'),
    count: 1,
    by: '',
  },
  {
    what: 'the dynCall wrapper for 64-bit signatures',
    find: new RegExp(
      `function ${id}\\(${id},${id}\\)\\{var ${id}=\\[\\];return function\\(\\)\\{${id}\\.length=0;Object\\.assign\\(${id},arguments\\);` +
        `if\\(${id}\\.includes\\("j"\\)\\)\\{[^}]*\\}else [^}]*\\}\\}`,
      'g'),
    count: 1,
    by: '',
  },
  // The overload table, made when a second function of the same name is registered: the bindings
  // register each name once (wasm/bindings/Bindings.cpp), so its uses stay unevaluated too.
  {
    what: 'the overload table for functions registered twice under one name',
    find: new RegExp(
      `function ${id}\\(${id},${id},${id}\\)\\{if\\(void 0===${id}\\[${id}\\]\\.${id}\\)\\{var ${id}=${id}\\[${id}\\];` +
        `${id}\\[${id}\\]=function\\(\\)\\{[^}]*"Function '"[^}]*\\};[^}]*\\}\\}`,
      'g'),
    count: 1,
    by: '',
  },
  // Converters of types wasm/bindings/BuiltinTypes.cpp never registers: its one string type is
  // "std::string" (UTF-8, so the 8-bit branches of the string converter never run), its one
  // number type besides int is double (8 bytes), its one integer type int (4 bytes, signed).
  {
    what: "the 8-bit string converter's branches (only std::string, UTF-8, is registered)",
    find: new RegExp(
      `else\\{(${id})=Array\\((${id})\\);for\\((${id})=0;\\3<\\2;\\+\\+\\3\\)\\1\\[\\3\\]=String\\.fromCharCode\\([^)]*\\);\\1=\\1\\.join\\(""\\)\\}|` +
        `else if\\((${id})\\)for\\(\\4=0;\\4<${id};\\+\\+\\4\\)\\{var ${id}=${id}\\.charCodeAt\\(\\4\\);\\s*255<[^}]*"String has UTF-16 code units that do not fit in 8 bits"\\)\\);[^}]*\\}(?=else )`,
      'g'),
    count: 2,
    by: '',
  },
  {
    what: 'the 4-byte float reader (only double is registered)',
    find: new RegExp(`case 2:return function\\((${id})\\)\\{return this\\.fromWireType\\(${id}\\[\\1>>2\\]\\)\\};(?=case 3:)`, 'g'),
    count: 1,
    by: '',
  },
  {
    what: 'the 1- and 2-byte integer readers, and the unsigned narrowing (only int is registered)',
    find: new RegExp(
      `case 0:return (${id})\\?function\\((${id})\\)\\{return ${id}\\[\\2\\]\\}:function\\(\\2\\)\\{return ${id}\\[\\2\\]\\};` +
        `case 1:return \\1\\?function\\(\\2\\)\\{return ${id}\\[\\2>>1\\]\\}:function\\(\\2\\)\\{return ${id}\\[\\2>>1\\]\\};(?=case 2:)|` +
        `if\\(0===(${id})\\)\\{var (${id})=32-8\\*${id};(${id})=(${id})=>\\6<<\\4>>>\\4\\}`,
      'g'),
    count: 2,
    by: '',
  },
  // A class pointer's fromWireType first looks the address up among the registered instances,
  // which only smart pointers and subclasses register (never: wasm/bindings/Bindings.cpp): the
  // lookup always finds nothing. The lookup and its branch go, `var d=` now takes the next value.
  {
    what: "the registered-instance lookup of a class pointer's fromWireType",
    find: new RegExp(
      `(?<=var (${id})=)${id}\\(this\\.${id},${id}\\);if\\(void 0!==\\1\\)\\{if\\(0===\\1\\.${id}\\.count\\.value\\)return [^;]*\\.clone\\(\\);\\1=\\1\\.clone\\(\\);this\\.${id}\\(${id}\\);return \\1\\}\\1=|` +
        `function ${id}\\((${id}),(${id})\\)\\{for\\(void 0===\\3&&${id}\\("ptr should not be undefined"\\);\\2\\.${id};\\)[^}]*return ${id}\\[\\3\\]\\}`,
      'g'),
    count: 2,
    by: '',
  },
  // embind's checks of the registrations themselves. The bindings are fixed at build time
  // (wasm/bindings/*.cpp: each type, name and constructor registered once, no "@@" symbol names,
  // no smart pointer), so each check gives the same answer on every load: the glue that loads
  // once in tests/js and tests/browser always passes them. A class handle is made only from a
  // non-null pointer of the class's own type (fromWireType returns null first).
  {
    what: "embind's registration-time checks",
    find: new RegExp(
      [
        `if\\(void 0!==${id}(?:\\.${id})+\\[${id}-1\\]\\)throw new ${id}\\("Cannot register multiple constructors with identical number of parameters[^;]*;`,
        `if\\(!\\("argPackAdvance"in ${id}\\)\\)throw new TypeError\\("registerType registeredInstance requires argPackAdvance"\\);`,
        `${id}\\|\\|${id}\\('type "'\\+${id}\\+'" must have a positive integer typeid pointer'\\);`,
        `if\\(${id}\\.hasOwnProperty\\(${id}\\)\\)\\{if\\(${id}\\.${id}\\)return;${id}\\("Cannot register type '"\\+${id}\\+"' twice"\\)\\}`,
        `${id}\\.length!==${id}\\.length&&${id}\\("Mismatched type converter count"\\);`,
        `${id}\\.hasOwnProperty\\(${id}\\)\\?\\(\\(void 0===${id}\\|\\|[^"]*"Cannot register public name '"[^"]*"' twice"\\),[^"]*"Cannot register multiple overloads of a function with the same number of arguments \\("\\+${id}\\+"\\)!"\\),${id}\\[${id}\\]\\.${id}\\[${id}\\]=${id}\\):`,
        `${id}\\.hasOwnProperty\\(${id}\\)\\|\\|${id}\\("Replacing nonexistant public symbol"\\);`,
        `2>${id}&&${id}\\("argTypes array size mismatch! Must at least get return value and 'this' types!"\\);`,
        `${id}\\.startsWith\\("@@"\\)&&\\(${id}=Symbol\\[${id}\\.substring\\(2\\)\\]\\);`,
        `${id}\\.${id}&&${id}\\.${id}\\|\\|${id}\\("makeClassHandle requires ptr and ptrType"\\);!!${id}\\.${id}!==!!${id}\\.${id}&&${id}\\("Both smartPtrType and smartPtr must be specified"\\);`,
        `0<${id}\\|\\|${id}\\(void 0\\);`,
      ].join('|'),
      'g'),
    count: 11,
    by: '',
  },
  // What stands in for a constructor or function until the types it uses are registered: the
  // builtin types register first (wasm/bindings/BuiltinTypes.cpp) and the bindings resolve while
  // the module loads, so the stand-ins are replaced before anything can call them; the function
  // that put them on Module then has no caller, and the replacement sets Module's name directly.
  // InternalError had only the checks above.
  {
    what: 'the stand-ins for bindings with unregistered types, their setter, and InternalError',
    find: new RegExp(
      [
        `${id}\\(${id},function\\(\\)\\{${id}\\("Cannot construct "\\+${id}\\+" due to unbound types",\\[${id}\\]\\)\\}\\);`,
        `${id}(?:\\.${id})+\\[${id}-1\\]=\\(\\)=>\\{${id}\\("Cannot construct "\\+${id}\\.name\\+" due to unbound types",${id}\\)\\};`,
        `${id}\\(${id},function\\(\\)\\{${id}\\("Cannot call "\\+${id}\\+" due to unbound types",${id}\\)\\},${id}-1\\);`,
        `function ${id}\\((${id}),(${id}),(${id})\\)\\{\\(${id}\\[\\1\\]=\\2,void 0!==\\3&&\\(${id}\\[\\1\\]\\.${id}=\\3\\)\\)\\}`,
        `(?<=var ${id}=void 0;function ${id}\\(${id}\\)\\{throw new ${id}\\(${id}\\);\\})var ${id}=void 0;function ${id}\\(${id}\\)\\{throw new ${id}\\(${id}\\);\\}`,
        `${id}=${id}\\("InternalError"\\);`,
        // The symbol's replacement, then, without a stand-in to look at: its overload-table
        // branch was never taken (no overload table, above).
        `void 0!==${id}\\[${id}\\]\\.${id}&&void 0!==${id}\\?${id}\\[${id}\\]\\.${id}\\[${id}\\]=${id}:`,
      ].join('|'),
      'g'),
    count: 7,
    by: '',
  },
  // Runtime code for environments or inputs the SDK never meets: embind's search for the global
  // object where there is no globalThis (ES2020, the SDK's own target: its facade uses
  // globalThis already); the run-time callback queues' entries that are objects (the glue queues
  // only functions); a class without a constructor (SdkHandle has one); and the legal-name
  // conversion of createNamedFunction, whose result is unused without DYNAMIC_EXECUTION.
  {
    what: 'the global-object fallbacks, the callback-object branch, the no-constructor check and an unused name',
    find: new RegExp(
      [
        `function ${id}\\(${id}\\)\\{${id}\\.\\$\\$\\$embind_global\\$\\$\\$=[^}]*return ${id}\\}(?=if\\("object"==typeof globalThis\\)return globalThis;)`,
        `(?<=return globalThis;)if\\("object"==typeof \\$\\$\\$embind_global\\$\\$\\$\\)[^}]*throw Error\\("unable to get global object\\."\\);`,
        `else\\{var (${id})=(${id})\\.${id};"number"==typeof \\1\\?void 0===\\2\\.${id}\\?[^}]*\\}`,
        `if\\(void 0===${id}\\.${id}\\)throw new ${id}\\(${id}\\+" has no accessible constructor"\\);`,
        `(?<=function ${id}\\((${id}),${id}\\)\\{)\\3=${id}\\(\\3\\);(?=return function\\(\\)\\{null;return)`,
      ].join('|'),
      'g'),
    count: 5,
    by: '',
  },
  // A class pointer made from a wasm pointer is first downcast to the most derived registered
  // class: the bindings register one class, with no base, so the downcast always lands on the
  // pointer type it started from; and a handle gets a finalizer only when it holds a smart
  // pointer (never). The downcast, the finalization registry and the release it called go.
  {
    what: 'the downcast of a class pointer, and the finalization registry of smart-pointer handles',
    find: new RegExp(
      [
        `var (${id})=this\\.${id}\\.${id}\\(${id}\\);\\1=${id}\\[\\1\\];if\\(!\\1\\)(?=return ${id}\\.call\\(this\\);)`,
        `(?<=return ${id}\\.call\\(this\\);)${id}=this\\.${id}\\?${id}\\.${id}:${id}\\.pointerType;var ${id}=${id}\\(${id},this\\.${id},${id}\\.${id}\\);return null===${id}\\?${id}\\.call\\(this\\):[^}]*\\}\\):${id}\\(${id}\\.${id}\\.${id},\\{${id}:${id},${id}:${id}\\}\\)`,
        `function ${id}\\((${id}),(${id}),(${id})\\)\\{if\\(\\3===\\4\\)return \\2;if\\(void 0===\\4\\.${id}\\)return null;[^}]*\\}`,
        `var ${id}=!1;function ${id}\\(\\)\\{\\}\\s*function ${id}\\((${id})\\)\\{--\\5\\.count\\.value;0===\\5\\.count\\.value&&[^}]*\\}`,
        `${id}=new FinalizationRegistry\\(${id}=>\\{${id}\\(${id}\\.${id}\\)\\}\\);`,
        `${id}\\.${id}&&${id}\\.register\\(${id},\\{${id}:${id}\\},${id}\\);`,
        `${id}=${id}=>\\{${id}\\.unregister\\(${id}\\)\\};`,
      ].join('|'),
      'g'),
    count: 7,
    by: '',
  },
  // The defaults of the size and kind switches (each registered type has one of the sizes
  // handled), and the function-pointer check: the same answer on every load, as above.
  {
    what: 'the unknown size and kind defaults, and the function-pointer check',
    find: new RegExp(
      [
        `default:throw new TypeError\\("Unknown (?:type size|float type|integer type): "\\+${id}\\);`,
        `else if\\(2===${id}\\)${id}=${id};else if\\(4===${id}\\)${id}=${id};else throw new TypeError\\("Unknown boolean type size: "\\+${id}\\);`,
        `"function"!=typeof ${id}&&${id}\\("unknown function pointer with signature "\\+${id}\\+": "\\+${id}\\);`,
      ].join('|'),
      'g'),
    count: 5,
    by: '',
  },
  // A class method's registration: a stand-in until its types are registered (they all are
  // while the module loads), an overload table when the name is taken (each is registered
  // once), and the pure-virtual list (none). With them goes the unbound-types error.
  {
    what: "a class method's stand-in and overload branches, the pure-virtual list",
    find: new RegExp(
      [
        `function ${id}\\(\\)\\{${id}\\("Cannot call "\\+${id}\\+" due to unbound types",${id}\\)\\}`,
        `void 0===(${id})\\|\\|void 0===\\1\\.${id}&&\\1\\.className!==${id}\\.name&&\\1\\.${id}===${id}-2\\?\\([^)]*\\):\\(${id}\\(${id},${id},${id}\\),${id}\\[${id}\\]\\.${id}\\[${id}-2\\]=${id}\\);`,
        `${id}&&${id}\\.${id}\\.${id}\\.push\\(${id}\\);(?=var ${id}=${id}\\.${id}\\.${id},${id}=${id}\\[${id}\\];)`,
        `function ${id}\\(${id},${id}\\)\\{function ${id}\\(${id}\\)\\{[^}]*\\}var ${id}=\\[\\],${id}=\\{\\};${id}\\.forEach\\(${id}\\);throw new ${id}\\(${id}\\+": "\\+${id}\\.map\\(${id}\\)\\.join\\(\\[", "\\]\\)\\);\\}`,
        `(?<=function ${id}\\(${id},${id},${id}\\)\\{\\(${id}\\[${id}\\]=${id},${id}\\[${id}\\]\\.${id}=${id}\\)\\}\\s*function ${id}\\(${id},${id}\\)\\{[^}]*return ${id}\\})var ${id}=void 0;`,
        `${id}=${id}\\("UnboundTypeError"\\);`,
      ].join('|'),
      'g'),
    count: 6,
    by: '',
  },
  {
    what: "the method's overload-table branch once its types are resolved",
    find: new RegExp(`void 0===${id}\\[${id}\\]\\.${id}\\?(\\((${id})\\.${id}=${id}-2,${id}\\[${id}\\]=\\2\\)):${id}\\[${id}\\]\\.${id}\\[${id}-2\\]=\\2`, 'g'),
    count: 1,
    by: '$1',
  },
  // What is left of base classes and smart pointers (the one class has neither): the upcast
  // loop (a handle's class is always the parameter's), the up/downcast function lookups (null),
  // a pointer's smart-pointer getter and destructor, the smart handle branch; and leftovers of
  // the edits above: a 2-byte size (no such type), an unsigned maximum (int only), the
  // undefined-name default (every name is given), unused locals and variables.
  {
    what: 'the remains of base classes and smart pointers, and leftovers',
    find: new RegExp(
      [
        `for\\(;${id}!==${id};\\)${id}\\.${id}\\|\\|${id}\\("Expected null or instance of "\\+${id}\\.name\\+", got an instance of "\\+${id}\\.name\\),${id}=${id}\\.${id}\\(${id}\\),${id}=${id}\\.${id};`,
        `${id}&&=${id}\\(${id},${id}\\);`,
        `this\\.${id}&&\\(${id}=this\\.${id}\\(${id}\\)\\);(?=return ${id}\\};)`,
        `(?<=\\.prototype\\.${id}=function\\(${id}\\)\\{)this\\.${id}&&this\\.${id}\\(${id}\\)(?=\\};)`,
        `this\\.${id}\\?${id}\\(this\\.${id}\\.${id},\\{${id}:this\\.${id},${id}:${id},${id}:this,${id}:${id}\\}\\):`,
        `-1===${id}&&\\(${id}=4294967295\\);`,
        `if\\(void 0===${id}\\)return"_unknown";`,
        `var ${id}=\\{\\};var ${id}=${id}\\.name;(?=${id}\\[${id}\\]=${id};delete)`,
        `case 2:return 1;(?=case 4:return 2;)`,
        `var ${id}=void 0,${id}=\\{\\};(?=\\s*function ${id}\\(${id},${id}\\)\\{${id}\\.count=)`,
      ].join('|'),
      'g'),
    count: 11,
    by: '',
  },
];
