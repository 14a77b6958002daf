// Removes from the Emscripten glue (build-wasm/switchboard.js, Emscripten 3.1.6 after Closure) the
// runtime code the SDK can never run, before web/build.mjs bundles it (about 2.5 KB gzip in all,
// bench/README.md "`devices/` and `size/`"). Emscripten has no setting for any of it:
// - the glue's own fetch of the .wasm (streaming, then ArrayBuffer, the data: URL test, the
//   script-directory and locateFile logic): web/src/loader.js always passes Module.instantiateWasm,
//   which makes the glue return before reaching it;
// - the heap views and the preloaded image/audio tables put on Module: nothing reads Module's
//   (embind and the runtime use the glue's own variables; the Module object never leaves
//   loader.js);
// - the hint to rebuild with ASSERTIONS appended to every abort message;
// - embind's code for what the SDK's fixed bindings never have (unregistered types, base classes,
//   smart pointers, overloads) and its checks of those registrations, which give the same answer
//   on every load (each edit below says why).
// Each edit must match exactly as often as stated: another Emscripten (another glue) fails the
// build here rather than shipping a broken bundle. (The removed functions' names cannot be checked
// for other uses: Closure gives one-letter names, which locals elsewhere reuse.)
const id = '[\\w$]+';

const EDITS = [
  {
    what: 'Module.HEAP* views',
    find: new RegExp(`\\b${id}\\.HEAP(?:8|16|32|U8|U16|U32|F32|F64)=`, 'g'),
    count: 8,
    by: '',
  },
  {
    what: 'Module.preloadedImages/preloadedAudios',
    find: new RegExp(`${id}\\.preloadedImages=\\{\\};${id}\\.preloadedAudios=\\{\\};`, 'g'),
    count: 1,
    by: '',
  },
  {
    what: 'the fetch and instantiate fallback after Module.instantiateWasm',
    find: new RegExp(
      `(if\\((${id})\\.instantiateWasm\\)try\\{return \\2\\.instantiateWasm\\([^}]*\\}catch\\(${id}\\)\\{return [^}]*\\})` +
        `\\(function\\(\\)\\{return"function"!=typeof WebAssembly\\.instantiateStreaming[\\s\\S]*?\\}\\)\\(\\)\\.catch\\(${id}\\);return\\{\\}`,
      'g'),
    count: 1,
    by: '$1',
  },
  {
    what: "the fallback's instantiate helpers",
    find: new RegExp(
      `function (${id})\\((${id})\\)\\{${id}\\(\\2\\.instance\\)\\}` +
        `function (${id})\\(${id}\\)\\{return ${id}\\(\\)\\.then\\(function\\(${id}\\)\\{return WebAssembly\\.instantiate[\\s\\S]*?\\}\\)\\}(?=var )`,
      'g'),
    count: 1,
    by: '',
  },
  {
    what: "the fallback's fetch, data: URL test and wasm URL",
    find: new RegExp(
      `function (${id})\\(\\)\\{return (${id})\\.startsWith\\("data:application/octet-stream;base64,"\\)\\}var \\2;` +
        `${id}\\.locateFile\\?[^;]*;` +
        `function (${id})\\(\\)\\{try\\{throw"both async and sync fetching of the wasm failed";\\}catch\\((${id})\\)\\{${id}\\(\\4\\)\\}\\}\\s*` +
        `function (${id})\\(\\)\\{return"function"==typeof fetch\\?[\\s\\S]*?\\}\\)\\}(?=function )`,
      'g'),
    count: 1,
    by: '',
  },
  {
    what: 'the script directory (used only for the wasm URL)',
    find: new RegExp(
      `var (${id})=Object\\.assign\\(\\{\\},(${id})\\),(${id})="";` +
        `"undefined"!=typeof document&&document\\.currentScript&&\\(\\3=document\\.currentScript\\.src\\);` +
        `_scriptDir&&\\(\\3=_scriptDir\\);0!==\\3\\.indexOf\\("blob:"\\)\\?\\3=\\3\\.substr\\(0,\\3\\.replace\\(/\\[\\?#\\]\\.\\*/,""\\)\\.lastIndexOf\\("/"\\)\\+1\\):\\3="";` +
        `(var ${id}=console\\.warn\\.bind\\(console\\);)Object\\.assign\\(\\2,\\1\\);\\1=null;`,
      'g'),
    count: 1,
    by: '$4',
  },
  { what: 'the _scriptDir variable', find: /var _scriptDir = import\.meta\.url;/g, count: 1, by: '' },
  { what: 'the ASSERTIONS hint in abort messages', find: /\. Build with -s ASSERTIONS=1 for more info\./g, count: 1, by: '' },
  // embind's debugging aids and the delayed-deletion queue, all on Module or on the class handle's
  // prototype: the facade keeps the SdkHandle to itself and calls only its bound methods and
  // delete() (web/src/index.js), and nothing reads Module's.
  {
    what: "Module's instance counters, flushPendingDeletes and setDelayFunction",
    find: new RegExp(
      `${id}\\.getInheritedInstanceCount=function\\(\\)\\{return Object\\.keys\\(${id}\\)\\.length\\};` +
        `${id}\\.getLiveInheritedInstances=function\\(\\)\\{[^}]*\\};` +
        `${id}\\.flushPendingDeletes=${id};${id}\\.setDelayFunction=function\\(${id}\\)\\{[^}]*\\};`,
      'g'),
    count: 1,
    by: '',
  },
  {
    what: "the class handle's isAliasOf, isDeleted and deleteLater",
    find: new RegExp(
      `${id}\\.prototype\\.isAliasOf=function\\(${id}\\)\\{[^}]*return ${id}===${id}&&${id}===${id}\\};|` +
        `${id}\\.prototype\\.isDeleted=function\\(\\)\\{return!this\\.${id}\\.${id}\\};|` +
        `${id}\\.prototype\\.deleteLater=function\\(\\)\\{[^}]*return this\\};`,
      'g'),
    count: 3,
    by: '',
  },
  {
    what: 'the pending-deletion flush (deleteLater is gone)',
    find: new RegExp(`function ${id}\\(\\)\\{for\\(;${id}\\.length;\\)\\{var ${id}=${id}\\.pop\\(\\);${id}\\.${id}\\.${id}=!1;${id}\\["delete"\\]\\(\\)\\}\\}`, 'g'),
    count: 1,
    by: '',
  },
  {
    what: "Module's count_emval_handles and get_first_emval",
    find: new RegExp(
      `${id}\\.count_emval_handles=function\\(\\)\\{[^}]*\\};${id}\\.get_first_emval=function\\(\\)\\{[^}]*\\};`,
      'g'),
    count: 1,
    by: '',
  },
  { what: "the error classes' Module names", find: new RegExp(`${id}\\.(?:Binding|Internal|UnboundType)Error=(?=${id}\\()`, 'g'), count: 3, by: '' },
  {
    what: 'Module.___wasm_call_ctors (the ctors run from the init list)',
    find: new RegExp(`${id}\\.___wasm_call_ctors=function\\(\\)\\{return\\(${id}\\.___wasm_call_ctors=${id}\\.asm\\.${id}\\)\\.apply\\(null,arguments\\)\\};`, 'g'),
    count: 1,
    by: '',
  },
  { what: 'Module.run and Module.calledRun', find: new RegExp(`${id}\\.run=${id};|${id}\\.calledRun=!0,`, 'g'), count: 2, by: '' },
  // The glue reaches the exports it uses through its own variables, each set on first call.
  { what: "the exports' Module names (___getTypeName, _malloc, _free)", find: new RegExp(`${id}\\.(?:___getTypeName|_malloc|_free)=`, 'g'), count: 6, by: '' },
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

export function trimGlue(code) {
  for (const { what, find, count, by } of EDITS) {
    const found = code.match(find)?.length ?? 0;
    if (found !== count) {
      throw new Error(`web/trim-glue.mjs: ${what}: ${found} matches in the glue, expected ${count} (another Emscripten?)`);
    }
    code = code.replace(find, by);
  }
  return code;
}
