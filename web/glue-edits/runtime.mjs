// Emscripten's runtime and Module: the glue's own .wasm fetch, the heap views and tables put on
// Module, the ASSERTIONS hint, embind's debugging aids and names on Module.
// Applied in order by web/trim-glue.mjs (see its header for the rules every edit follows).
import { id } from './id.mjs';

export const RUNTIME = [
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
];
