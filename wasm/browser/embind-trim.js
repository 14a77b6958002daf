// embind's JavaScript cut to what the SDK's bindings use (about 2.2 KB gzip of the download,
// bench/README.md "`devices/` and `size/`"). Not a JavaScript library of our own: these are
// definitions of Emscripten 3.1.6's embind.js and emval.js, replaced (a --js-library given after
// them redefines their names) by the same code without the branches the bindings cannot reach:
// one class (SdkHandle, wasm/bindings/Bindings.cpp) held by raw pointer, with no base class, one
// constructor, no overloads; std::string the one string type (BuiltinTypes.cpp); no 64-bit
// integers. The wire protocol between the wasm and the glue is embind's own, unchanged (the wasm's
// imports are the same _embind_* and _emval_* functions, tests/js/wasm-imports). A binding that
// needs what was cut (a base class, an overload, a smart pointer) fails at registration or at the
// call with a BindingError, never silently: then restore the original definition here.
mergeInto(LibraryManager.library, {
  // Debugging aids embind puts on Module (instance counts, delayed deletes, live handles), and the
  // class handle's clone/isAliasOf/isDeleted/deleteLater (SdkHandle lives as long as its facade).
  $init_embind__deps: [],
  $init_embind: function () {},
  $init_emval__deps: [],
  $init_emval: function () {},
  $init_ClassHandle__deps: ['$ClassHandle_delete'],
  $init_ClassHandle: function () {
    ClassHandle.prototype['delete'] = ClassHandle_delete;
  },
  // The one class (SdkHandle) is held by raw pointer, with no base class and no smart pointer:
  // its pointer types need neither the smart-pointer conversions nor downcasts, and its handles
  // no finalizer (embind only registers smart-pointer handles with one).
  $RegisteredPointer__deps: ['$constNoSmartPtrRawPointerToWireType',
    '$nonConstNoSmartPtrRawPointerToWireType', '$init_RegisteredPointer', '$throwBindingError'],
  $RegisteredPointer: function (name, registeredClass, isReference, isConst, isSmartPointer) {
    if (isSmartPointer) throwBindingError(name + ': smart pointers are not supported');
    this.name = name;
    this.registeredClass = registeredClass;
    this.isReference = isReference;
    this.isConst = isConst;
    this['toWireType'] = isConst ? constNoSmartPtrRawPointerToWireType : nonConstNoSmartPtrRawPointerToWireType;
    this.destructorFunction = null;
  },
  $init_RegisteredPointer__deps: ['$simpleReadValueFromPointer', '$RegisteredPointer_deleteObject',
    '$RegisteredPointer_fromWireType'],
  $init_RegisteredPointer: function () {
    RegisteredPointer.prototype['argPackAdvance'] = 8;
    RegisteredPointer.prototype['readValueFromPointer'] = simpleReadValueFromPointer;
    RegisteredPointer.prototype['deleteObject'] = RegisteredPointer_deleteObject;
    RegisteredPointer.prototype['fromWireType'] = RegisteredPointer_fromWireType;
  },
  $RegisteredPointer_fromWireType__deps: ['$makeClassHandle'],
  $RegisteredPointer_fromWireType: function (ptr) {
    return ptr ? makeClassHandle(this.registeredClass.instancePrototype, { ptrType: this, ptr: ptr }) : null;
  },
  $makeClassHandle: function (prototype, record) {
    record.count = { value: 1 };
    return Object.create(prototype, { $$: { value: record } });
  },
  // Unbound and unknown types without the type's name: with EMSCRIPTEN_HAS_UNBOUND_TYPE_NAMES=0 it
  // was an address ("type 0x…", from __getTypeName, which then leaves the wasm); the message still
  // names the function, class or emval operation.
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
  // Every browser with WebRTC has globalThis (ES2020, the SDK's target): no fallback search.
  $emval_get_global: function () {
    return globalThis;
  },
  // Function pointers straight from the table: no binding takes or returns a 64-bit integer, so
  // no signature has a "j" that would need a legalizing dynCall_ wrapper (none is exported).
  $embind__requireFunction__deps: ['$getWasmTableEntry', '$throwBindingError'],
  $embind__requireFunction: function (signature, rawFunction) {
    var fp = getWasmTableEntry(rawFunction);
    if (typeof fp != 'function') throwBindingError('unknown function pointer ' + rawFunction);
    return fp;
  },
  // No overloads: Bindings.cpp names each function and method once (a second one with the same
  // name fails loudly, as embind's own would for the same argument count).
  $ensureOverloadTable__deps: ['$throwBindingError'],
  $ensureOverloadTable: function (proto, methodName, humanName) {
    throwBindingError('Cannot overload ' + humanName);
  },
  // (embind.js's own list, plus the overload table it uses without naming it.)
  _embind_register_class_function__deps: ['$craftInvokerFunction', '$heap32VectorToArray', '$readLatin1String',
    '$embind__requireFunction', '$throwUnboundTypeError', '$whenDependentTypesAreResolved', '$ensureOverloadTable'],
  $exposePublicSymbol__deps: ['$throwBindingError'],
  $exposePublicSymbol: function (name, value) {
    if (Module.hasOwnProperty(name)) throwBindingError("Cannot register public name '" + name + "' twice");
    Module[name] = value;
  },
  $replacePublicSymbol: function (name, value) {
    Module[name] = value;
  },
  // A type registered by BuiltinTypes.cpp or a binding: the checks of impossible registrations
  // (no argPackAdvance, a null type id) left out.
  $registerType__deps: ['$awaitingDependencies', '$registeredTypes', '$typeDependencies', '$throwBindingError'],
  $registerType: function (rawType, registeredInstance) {
    if (registeredTypes.hasOwnProperty(rawType)) {
      throwBindingError("Cannot register type '" + registeredInstance.name + "' twice");
    }
    registeredTypes[rawType] = registeredInstance;
    delete typeDependencies[rawType];
    if (awaitingDependencies.hasOwnProperty(rawType)) {
      var callbacks = awaitingDependencies[rawType];
      delete awaitingDependencies[rawType];
      callbacks.forEach(function (cb) {
        cb();
      });
    }
  },
  // Names from the wasm (ASCII) without a table of the 256 one-character strings.
  $readLatin1String__deps: [],
  $readLatin1String: function (ptr) {
    for (var ret = ''; HEAPU8[ptr]; ) ret += String.fromCharCode(HEAPU8[ptr++]);
    return ret;
  },
  // With DYNAMIC_EXECUTION=0 embind's named functions carry no name anyway.
  $createNamedFunction__deps: [],
  $createNamedFunction: function (name, body) {
    return function () {
      'use strict';
      return body.apply(this, arguments);
    };
  },
  // The one class: no base class (so no up- or downcasts, and the class handles the RegisteredPointer
  // above describes), its name a JavaScript identifier already, one constructor.
  $upcastPointer__deps: ['$throwBindingError'],
  $upcastPointer: function (ptr, ptrClass, desiredClass) {
    if (ptrClass !== desiredClass) throwBindingError('Expected an instance of ' + desiredClass.name + ', got ' + ptrClass.name);
    return ptr;
  },
  _embind_register_class__deps: ['$BindingError', '$ClassHandle', '$exposePublicSymbol', '$readLatin1String',
    '$RegisteredClass', '$RegisteredPointer', '$registerType', '$embind__requireFunction', '$throwBindingError'],
  _embind_register_class: function (rawType, rawPointerType, rawConstPointerType, baseClassRawType,
    getActualTypeSignature, getActualType, upcastSignature, upcast, downcastSignature, downcast, name,
    destructorSignature, rawDestructor) {
    name = readLatin1String(name);
    if (baseClassRawType) throwBindingError(name + ': base classes are not supported');
    var ctor = function () {
      if (Object.getPrototypeOf(this) !== instancePrototype) throw new BindingError("Use 'new' to construct " + name);
      var body = registeredClass.constructor_body && registeredClass.constructor_body[arguments.length];
      if (undefined === body) {
        throw new BindingError(name + ' called with ' + arguments.length + ' parameters, expected ' + Object.keys(registeredClass.constructor_body || {}));
      }
      return body.apply(this, arguments);
    };
    var instancePrototype = Object.create(ClassHandle.prototype, { constructor: { value: ctor } });
    ctor.prototype = instancePrototype;
    var registeredClass = new RegisteredClass(name, ctor, instancePrototype,
      embind__requireFunction(destructorSignature, rawDestructor));
    registerType(rawType, new RegisteredPointer(name, registeredClass, true, false));
    registerType(rawPointerType, new RegisteredPointer(name + '*', registeredClass, false, false));
    registerType(rawConstPointerType, new RegisteredPointer(name + ' const*', registeredClass, false, true));
    exposePublicSymbol(name, ctor);
  },
  _embind_register_class_constructor__deps: ['$heap32VectorToArray', '$embind__requireFunction',
    '$craftInvokerFunction', '$throwBindingError', '$throwUnboundTypeError', '$whenDependentTypesAreResolved'],
  _embind_register_class_constructor: function (rawClassType, argCount, rawArgTypesAddr, invokerSignature, invoker,
    rawConstructor) {
    var rawArgTypes = heap32VectorToArray(argCount, rawArgTypesAddr);
    invoker = embind__requireFunction(invokerSignature, invoker);
    whenDependentTypesAreResolved([], [rawClassType], function (classType) {
      classType = classType[0];
      var bodies = (classType.registeredClass.constructor_body ||= []);
      if (bodies[argCount - 1]) throwBindingError('Two constructors of ' + classType.name + ' take ' + (argCount - 1) + ' parameters');
      bodies[argCount - 1] = function () {
        throwUnboundTypeError('Cannot construct ' + classType.name + ' due to unbound types', rawArgTypes);
      };
      whenDependentTypesAreResolved([], rawArgTypes, function (argTypes) {
        argTypes.splice(1, 0, null); // no `this`
        bodies[argCount - 1] = craftInvokerFunction('constructor ' + classType.name, argTypes, null, invoker, rawConstructor);
        return [];
      });
      return [];
    });
  },
  // std::string is the one string type registered (BuiltinTypes.cpp), UTF-8, and only JavaScript
  // strings reach it (the facade passes strings; the adapters test isString() before as<>). The
  // whole text is decoded at once: TextDecoder (TEXTDECODER=2) keeps embedded NULs, which embind
  // decodes piece by piece for its UTF8ToString that stops at them.
  _embind_register_std_string__deps: ['$readLatin1String', '$registerType', '$simpleReadValueFromPointer',
    '$throwBindingError'],
  _embind_register_std_string: function (rawType, name) {
    registerType(rawType, {
      name: readLatin1String(name),
      'fromWireType': function (value) {
        var str = UTF8Decoder.decode(HEAPU8.subarray(value + 4, value + 4 + HEAPU32[value >> 2]));
        _free(value);
        return str;
      },
      'toWireType': function (destructors, value) {
        if (typeof value != 'string') throwBindingError('Cannot pass non-string to std::string');
        var length = lengthBytesUTF8(value);
        var ptr = _malloc(4 + length + 1);
        HEAPU32[ptr >> 2] = length;
        stringToUTF8(value, ptr + 4, length + 1);
        if (destructors !== null) destructors.push(_free, ptr);
        return ptr;
      },
      'argPackAdvance': 8,
      'readValueFromPointer': simpleReadValueFromPointer,
      destructorFunction: function (ptr) {
        _free(ptr);
      },
    });
  },
  // The numbers BuiltinTypes.cpp registers: 32-bit integers and double (a value read from an
  // emval call's arguments); another size fails its registration, as embind's unknown sizes do.
  $integerReadValueFromPointer__deps: [],
  $integerReadValueFromPointer: function (name, shift, signed) {
    if (shift != 2) throw new TypeError('Unknown integer type: ' + name);
    return signed ? function (pointer) {
      return HEAP32[pointer >> 2];
    } : function (pointer) {
      return HEAPU32[pointer >> 2];
    };
  },
  $floatReadValueFromPointer__deps: [],
  $floatReadValueFromPointer: function (name, shift) {
    if (shift != 3) throw new TypeError('Unknown float type: ' + name);
    return function (pointer) {
      return this['fromWireType'](HEAPF64[pointer >> 3]);
    };
  },
  // embind's invoker (its DYNAMIC_EXECUTION=0 form) without the check that every registration
  // passes a return type and a `this` slot, which embind's C++ side always does.
  $craftInvokerFunction__deps: ['$runDestructors', '$throwBindingError'],
  $craftInvokerFunction: function (humanName, argTypes, classType, cppInvokerFunc, cppTargetFunc) {
    var isClassMethodFunc = argTypes[1] !== null && classType !== null;
    var needsDestructorStack = false;
    for (var i = 1; i < argTypes.length; ++i) {
      if (argTypes[i] !== null && argTypes[i].destructorFunction === undefined) {
        needsDestructorStack = true;
        break;
      }
    }
    var returns = argTypes[0].name !== 'void';
    var expectedArgCount = argTypes.length - 2;
    var argsWired = new Array(expectedArgCount);
    var invokerFuncArgs = [];
    var destructors = [];
    return function () {
      if (arguments.length !== expectedArgCount) {
        throwBindingError('function ' + humanName + ' called with ' + arguments.length + ' arguments, expected ' +
          expectedArgCount + ' args!');
      }
      destructors.length = 0;
      var thisWired;
      invokerFuncArgs.length = isClassMethodFunc ? 2 : 1;
      invokerFuncArgs[0] = cppTargetFunc;
      if (isClassMethodFunc) {
        thisWired = argTypes[1]['toWireType'](destructors, this);
        invokerFuncArgs[1] = thisWired;
      }
      for (var i = 0; i < expectedArgCount; ++i) {
        argsWired[i] = argTypes[i + 2]['toWireType'](destructors, arguments[i]);
        invokerFuncArgs.push(argsWired[i]);
      }
      var rv = cppInvokerFunc.apply(null, invokerFuncArgs);
      if (needsDestructorStack) {
        runDestructors(destructors);
      } else {
        for (var i = isClassMethodFunc ? 1 : 2; i < argTypes.length; i++) {
          var param = i === 1 ? thisWired : argsWired[i - 2];
          if (argTypes[i].destructorFunction !== null) argTypes[i].destructorFunction(param);
        }
      }
      if (returns) return argTypes[0]['fromWireType'](rv);
    };
  },
});
