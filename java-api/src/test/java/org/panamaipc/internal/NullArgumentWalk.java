package org.panamaipc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.attribute.LocalVariableInfo;
import java.lang.classfile.attribute.LocalVariableTableAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The walk of the null-argument tests: every public method and constructor of the given classes,
 * called with {@code null} for one reference parameter at a time and valid values for the others,
 * must throw {@link NullPointerException} whose message is the parameter's name (from the class
 * file's local variable table), and must not have created the object whose fresh name it was
 * given (no system call before the check).
 *
 * @param receivers the object to call each class's instance methods on
 * @param samples   a valid value of each parameter type, given the fresh name of the call;
 *                  (a fresh name, a millisecond, 64-byte buffers, a one-byte array, {@code int} 1,
 *                  {@code long} 64 and {@code false} unless given); enums get
 *                  their first constant and other interfaces a proxy that does nothing
 * @param samplesFor for the entry points of a class, the samples that replace {@code samples}
 *                  (an endpoint name where a POSIX name will not do)
 * @param fresh     a new unique name for each call
 * @param exists    whether an object of a fresh name exists now
 */
record NullArgumentWalk(Map<Class<?>, Object> receivers, Map<Class<?>, Function<String, Object>> samples,
                        Map<Class<?>, Map<Class<?>, Function<String, Object>>> samplesFor,
                        Supplier<String> fresh, Predicate<String> exists) {

    /** What the walk found: how many calls it made, and a line for each that broke the rule. */
    record Result(int calls, List<String> problems) {
    }

    Result walk(List<Class<?>> classes) throws IOException {
        List<String> problems = new ArrayList<>();
        int calls = 0;
        for (Class<?> type : classes) {
            ClassModel classFile = classFile(type);
            Object receiver = receivers.get(type);
            for (Executable entry : publicEntryPoints(type)) {
                Class<?>[] parameters = entry.getParameterTypes();
                for (int i = 0; i < parameters.length; i++) {
                    if (parameters[i].isPrimitive()) {
                        continue;
                    }
                    calls++;
                    String expected = parameterName(classFile, entry, i);
                    if (expected == null && receiver != null && entry instanceof Method method) {
                        expected = implementationParameterName(receiver, method, i); // an interface's abstract method
                    }
                    if (expected == null) {
                        expected = "parameter " + i + " (no name in the class file)";
                    }
                    String name = fresh.get();
                    String problem;
                    try {
                        problem = check(entry, arguments(type, parameters, i, name), expected);
                    } catch (RuntimeException | AssertionError e) {
                        problem = "could not prepare the arguments: " + e;
                    }
                    if (problem == null && exists.test(name)) {
                        problem = "made a system call before the check: " + name + " exists";
                    }
                    if (problem != null) {
                        problems.add(describe(entry) + " with null " + expected + ": " + problem);
                    }
                }
            }
        }
        return new Result(calls, problems);
    }

    private String check(Executable entry, Object[] args, String expected) {
        Object receiver = Modifier.isStatic(entry.getModifiers()) || entry instanceof Constructor<?>
                ? null : receivers.get(entry.getDeclaringClass());
        if (receiver == null && entry instanceof Method && !Modifier.isStatic(entry.getModifiers())) {
            return "no receiver for " + entry.getDeclaringClass().getSimpleName() + ": add one";
        }
        try {
            if (entry instanceof Method method) {
                method.invoke(receiver, args);
            } else {
                ((Constructor<?>) entry).newInstance(args);
            }
            return "returned normally";
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof NullPointerException)) {
                return "threw " + cause;
            }
            if (!expected.equals(cause.getMessage())) {
                return "NullPointerException says \"" + cause.getMessage() + "\"";
            }
            return null;
        } catch (ReflectiveOperationException e) {
            return "cannot call: " + e;
        }
    }

    private static List<Executable> publicEntryPoints(Class<?> type) {
        List<Executable> entries = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            int modifiers = method.getModifiers();
            if (!Modifier.isPublic(modifiers) || method.isSynthetic() || method.isBridge()
                    || method.getName().equals("equals") && method.getParameterCount() == 1
                    || type.isEnum() && method.getName().equals("valueOf")) {
                continue;
            }
            entries.add(method);
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(constructor.getModifiers()) && !type.isEnum()) {
                entries.add(constructor);
            }
        }
        entries.sort((a, b) -> a.toString().compareTo(b.toString()));
        return entries;
    }

    /** Valid arguments for every parameter but {@code nullAt}. */
    private Object[] arguments(Class<?> declaring, Class<?>[] types, int nullAt, String name) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = i == nullAt ? null : sample(declaring, types[i], name);
        }
        return args;
    }

    private Object sample(Class<?> declaring, Class<?> type, String name) {
        Function<String, Object> sample = samplesFor.getOrDefault(declaring, Map.of()).get(type);
        if (sample == null) {
            sample = samples.get(type);
        }
        if (sample != null) {
            return sample.apply(name);
        }
        Object common = commonSample(type, name);
        if (common != null) {
            return common;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 64L;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type.isInterface()) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
        }
        throw new AssertionError("no sample value for a parameter of type " + type + ": add one");
    }

    /**
     * {@return the name the implementation of the interface method {@code entry} that
     * {@code receiver} runs gives parameter {@code index}, or {@code null}} Found by name among
     * the implementation's methods that are not bridges, by parameter types the interface's accept
     * (a generic interface's erased types are wider than the implementation's), when exactly one
     * matches.
     */
    private static String implementationParameterName(Object receiver, Method entry, int index) throws IOException {
        Class<?> declaring;
        try {
            declaring = receiver.getClass().getMethod(entry.getName(), entry.getParameterTypes()).getDeclaringClass();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(receiver.getClass() + " has no public " + entry, e);
        }
        List<Method> candidates = Arrays.stream(declaring.getDeclaredMethods())
                .filter(m -> m.getName().equals(entry.getName()) && !m.isBridge() && !m.isSynthetic()
                        && assignable(entry.getParameterTypes(), m.getParameterTypes()))
                .toList();
        return candidates.size() == 1 ? parameterName(classFile(declaring), candidates.getFirst(), index) : null;
    }

    private static boolean assignable(Class<?>[] declared, Class<?>[] implemented) {
        if (declared.length != implemented.length) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (!declared[i].isAssignableFrom(implemented[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@return a valid value of a type every family takes, or {@code null}} The fresh name for a
     * {@code String}, a millisecond for a {@code Duration}, small buffers and arrays.
     */
    private static Object commonSample(Class<?> type, String name) {
        if (type == String.class) {
            return name;
        }
        if (type == Duration.class) {
            return Duration.ofMillis(1);
        }
        if (type == MemorySegment.class) {
            return Arena.ofAuto().allocate(64, 64);
        }
        if (type == ByteBuffer.class) {
            return ByteBuffer.allocate(64);
        }
        if (type == byte[].class || type == Object.class) {
            return new byte[1];
        }
        return null;
    }

    private static ClassModel classFile(Class<?> type) throws IOException {
        String file = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(file)) {
            return ClassFile.of().parse(in.readAllBytes());
        }
    }

    /**
     * {@return the name javac recorded for parameter {@code index} (the local variable table of a
     * build with {@code -g}), or {@code null} if the class file has no code for the method}
     */
    private static String parameterName(ClassModel classFile, Executable entry, int index) {
        String name = entry instanceof Constructor<?> ? "<init>" : entry.getName();
        MethodTypeDesc descriptor = entry instanceof Method method
                ? MethodTypeDesc.of(method.getReturnType().describeConstable().orElseThrow(), descs(entry))
                : MethodTypeDesc.of(void.class.describeConstable().orElseThrow(), descs(entry));
        int slot = Modifier.isStatic(entry.getModifiers()) ? 0 : 1;
        Class<?>[] types = entry.getParameterTypes();
        for (int i = 0; i < index; i++) {
            slot += types[i] == long.class || types[i] == double.class ? 2 : 1;
        }
        for (MethodModel method : classFile.methods()) {
            if (method.methodName().equalsString(name) && method.methodTypeSymbol().equals(descriptor)) {
                Optional<CodeAttribute> code = method.findAttribute(java.lang.classfile.Attributes.code());
                if (code.isEmpty()) {
                    break;
                }
                for (var attribute : code.get().attributes()) {
                    if (attribute instanceof LocalVariableTableAttribute table) {
                        for (LocalVariableInfo variable : table.localVariables()) {
                            if (variable.slot() == slot && variable.startPc() == 0) {
                                return variable.name().stringValue();
                            }
                        }
                    }
                }
            }
        }
        return null;
    }

    private static ClassDesc[] descs(Executable entry) {
        return Arrays.stream(entry.getParameterTypes())
                .map(type -> type.describeConstable().orElseThrow())
                .toArray(ClassDesc[]::new);
    }

    private static String describe(Executable entry) {
        String params = String.join(", ", Arrays.stream(entry.getParameterTypes()).map(Class::getSimpleName).toList());
        String name = entry instanceof Constructor<?> ? "new " + entry.getDeclaringClass().getSimpleName()
                : entry.getDeclaringClass().getSimpleName() + "." + entry.getName();
        return name + "(" + params + ")";
    }
}
