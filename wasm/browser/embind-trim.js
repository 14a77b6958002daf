// Overrides of parts of Emscripten 3.1.6's embind.js / emval.js (--js-library after them: a later
// library's definition replaces the earlier one) that nothing in the SDK uses.
mergeInto(LibraryManager.library, {
  // Debugging aids put on Module (instance counts, delayed deletes, live handles).
  $init_embind__deps: [],
  $init_embind: function () {},
  $init_emval__deps: [],
  $init_emval: function () {},
  $init_ClassHandle__deps: ['$ClassHandle_delete'],
  $init_ClassHandle: function () {
    ClassHandle.prototype['delete'] = ClassHandle_delete;
  },
  $requireRegisteredType__deps: ['$registeredTypes', '$throwBindingError'],
  $requireRegisteredType: function (rawType, humanName) {
    var impl = registeredTypes[rawType];
    if (undefined === impl) throwBindingError(humanName + ' has unknown type');
    return impl;
  },
  $throwUnboundTypeError__deps: ['$UnboundTypeError'],
  $throwUnboundTypeError: function (message) {
    throw new UnboundTypeError(message);
  },
});
