package org.panamaipc.codec;

import java.lang.foreign.MemoryLayout;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The C mirror of a {@link RecordCodec}: struct declarations with fixed-width types and explicit
 * padding, and a header that asserts every size and offset at compile time.
 */
final class CDeclarations {

    /** C keywords (C23 included) that are not Java keywords, so could name a record component. */
    private static final Set<String> C_KEYWORDS = Set.of("auto", "extern", "inline", "register", "restrict",
            "signed", "sizeof", "struct", "typedef", "union", "unsigned", "alignas", "alignof", "bool",
            "constexpr", "nullptr", "static_assert", "thread_local", "typeof", "typeof_unqual", "true",
            "false", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary",
            "_Noreturn", "_Static_assert", "_Thread_local");

    private CDeclarations() {
    }

    /** {@return the declarations of the structs of {@code codec}: nested records first, each once} */
    static String structs(RecordCodec<?> codec) {
        StringBuilder sb = new StringBuilder();
        for (RecordCodec<?> struct : inOrder(codec).values()) {
            declare(struct, sb);
        }
        return sb.toString();
    }

    /** {@return a whole header: guard, includes, the structs, and static assertions of their layout} */
    static String header(RecordCodec<?> codec) {
        String guard = "PIPC_RECORD_" + codec.type().getSimpleName().toUpperCase(Locale.ROOT) + "_H";
        StringBuilder sb = new StringBuilder()
                .append("/* The C mirror of panama-ipc's RecordCodec.of(").append(javaName(codec.type()))
                .append(".class).\n")
                .append(" * Strings are UTF-8, NUL-padded, not terminated when full: read them with strnlen. */\n")
                .append("#ifndef ").append(guard).append('\n')
                .append("#define ").append(guard).append("\n\n")
                .append("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n");
        for (RecordCodec<?> struct : inOrder(codec).values()) {
            declare(struct, sb);
            String name = "struct " + struct.type().getSimpleName();
            sb.append("_Static_assert(sizeof(").append(name).append(") == ").append(struct.byteSize())
                    .append(", \"").append(name).append(": size differs from Java's\");\n");
            for (Member member : struct.members()) {
                sb.append("_Static_assert(offsetof(").append(name).append(", ").append(member.name())
                        .append(") == ").append(member.offset()).append(", \"").append(name).append('.')
                        .append(member.name()).append(": offset differs from Java's\");\n");
            }
            sb.append('\n');
        }
        return sb.append("#endif\n").toString();
    }

    private static String javaName(Class<?> type) {
        return type.getCanonicalName() != null ? type.getCanonicalName() : type.getName();
    }

    /** {@return the codec of every struct {@code codec} needs, by simple name, each after those it contains} */
    private static Map<String, RecordCodec<?>> inOrder(RecordCodec<?> codec) {
        Map<String, RecordCodec<?>> order = new LinkedHashMap<>();
        visit(codec, order);
        return order;
    }

    private static void visit(RecordCodec<?> codec, Map<String, RecordCodec<?>> order) {
        for (Member member : codec.members()) {
            if (C_KEYWORDS.contains(member.name())) {
                throw new IllegalStateException(member.describe() + ": " + member.name()
                        + " is a C keyword, so the record has no C declaration; rename the component");
            }
            if (member.kind() == Member.Kind.RECORD) {
                visit(member.nested(), order);
            }
        }
        String name = codec.type().getSimpleName();
        RecordCodec<?> seen = order.get(name);
        if (seen == null) {
            order.put(name, codec);
        } else if (seen.type() != codec.type()) {
            throw new IllegalStateException("records " + seen.type().getName() + " and " + codec.type().getName()
                    + " would both be declared as struct " + name + "; rename one");
        }
    }

    private static void declare(RecordCodec<?> codec, StringBuilder sb) {
        sb.append("struct ").append(codec.type().getSimpleName()).append(" {\n");
        int component = 0;
        Member[] members = codec.members();
        for (MemoryLayout layout : codec.layout().memberLayouts()) {
            String name = layout.name().orElseThrow();
            if (component < members.length && name.equals(members[component].name())) {
                Member member = members[component++];
                sb.append("    ").append(member.cDeclaration()).append("; // offset ").append(member.offset());
                if (member.kind() == Member.Kind.STRING) {
                    sb.append(", UTF-8, NUL-padded");
                }
                sb.append('\n');
            } else {
                sb.append("    uint8_t ").append(name).append('[').append(layout.byteSize()).append("];\n");
            }
        }
        sb.append("};\n");
    }
}
