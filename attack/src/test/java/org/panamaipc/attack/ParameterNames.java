package org.panamaipc.attack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.LocalVariableInfo;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of a method's parameters as its source gives them, read from the local variable table
 * of the class file that implements it (the library is compiled with {@code -g}, not with
 * {@code -parameters}), with the JDK's class-file API. For an interface method, the names are
 * those of the implementation the matrix calls.
 */
final class ParameterNames {

    private static final Map<Class<?>, ClassModel> MODELS = new ConcurrentHashMap<>();

    private ParameterNames() {
    }

    /**
     * {@return the name of parameter {@code index} of {@code executable} as implemented by
     * {@code implementation} (the receiver's class, or the declaring class), or "arg" + index if
     * the class file does not say}
     */
    static String of(Executable executable, Class<?> implementation, int index) {
        Class<?> owner = implementation;
        Executable target = executable;
        if (executable instanceof Method m && !Modifier.isStatic(m.getModifiers())) {
            target = find(implementation, m);
            owner = target.getDeclaringClass();
        } else {
            owner = executable.getDeclaringClass();
        }
        ClassModel model = model(owner);
        if (model == null) {
            return "arg" + index;
        }
        String name = target instanceof Constructor<?> ? "<init>" : target.getName();
        Class<?> returnType = target instanceof Method m ? m.getReturnType() : void.class;
        String descriptor = MethodType.methodType(returnType, target.getParameterTypes()).toMethodDescriptorString();
        int slot = Modifier.isStatic(target.getModifiers()) ? 0 : 1;
        Class<?>[] types = target.getParameterTypes();
        for (int i = 0; i < index; i++) {
            slot += types[i] == long.class || types[i] == double.class ? 2 : 1;
        }
        for (MethodModel method : model.methods()) {
            if (!method.methodName().equalsString(name) || !method.methodType().equalsString(descriptor)) {
                continue;
            }
            var code = method.findAttribute(Attributes.code());
            if (code.isEmpty()) {
                continue;
            }
            var table = code.get().findAttribute(Attributes.localVariableTable());
            if (table.isEmpty()) {
                continue;
            }
            for (LocalVariableInfo variable : table.get().localVariables()) {
                if (variable.slot() == slot && variable.startPc() == 0) {
                    return variable.name().stringValue();
                }
            }
        }
        return "arg" + index;
    }

    /**
     * {@return the method of {@code implementation} (or a superclass) that implements {@code m}}:
     * the same name and parameter count, each parameter type assignable to {@code m}'s (a generic
     * method is implemented with narrower types, behind a bridge), and not a bridge itself.
     */
    private static Method find(Class<?> implementation, Method m) {
        Class<?>[] wanted = m.getParameterTypes();
        for (Class<?> c = implementation; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method candidate : c.getDeclaredMethods()) {
                if (candidate.isBridge() || candidate.isSynthetic() || !candidate.getName().equals(m.getName())
                        || candidate.getParameterCount() != wanted.length) {
                    continue;
                }
                Class<?>[] types = candidate.getParameterTypes();
                boolean fits = true;
                for (int i = 0; i < types.length && fits; i++) {
                    fits = wanted[i].isAssignableFrom(types[i]);
                }
                if (fits) {
                    return candidate;
                }
            }
        }
        return m; // a default method of the interface
    }

    private static ClassModel model(Class<?> type) {
        return MODELS.computeIfAbsent(type, t -> {
            String resource = t.getName().replace('.', '/') + ".class";
            ClassLoader loader = t.getClassLoader() != null ? t.getClassLoader() : ClassLoader.getSystemClassLoader();
            try (InputStream in = loader.getResourceAsStream(resource)) {
                return in == null ? null : ClassFile.of().parse(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
