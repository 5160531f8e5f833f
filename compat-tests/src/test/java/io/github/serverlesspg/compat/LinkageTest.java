package io.github.serverlesspg.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.opentelemetry.api.OpenTelemetry;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.postgresql.util.DriverInfo;

/**
 * Every class, method and field of the OpenTelemetry API and pgjdbc that the driver's bytecode names exists in the
 * versions on this class path: no {@code NoSuchMethodError}, {@code NoSuchFieldError} or
 * {@code NoClassDefFoundError} on any path, including the ones no test runs. The references are read from the
 * constant pools of the driver's class files and resolved by reflection, the way the JVM would link them.
 */
class LinkageTest {
  /**
   * References that are missing from some supported version on purpose, each with the guard that keeps it from
   * running there. Only these may be missing.
   */
  private static final Map<String, String> GUARDED = Map.of(
      "io/opentelemetry/api/metrics/DoubleHistogramBuilder.setExplicitBucketBoundariesAdvice(Ljava/util/List;)"
          + "Lio/opentelemetry/api/metrics/DoubleHistogramBuilder;",
      "API 1.32+: Instruments calls it only when the method exists");

  private static final List<String> CHECKED_PACKAGES = List.of("io/opentelemetry/", "org/postgresql/");

  @Test
  void theVersionsUnderTestAreOnTheClassPath() {
    assertThat(OpenTelemetry.class.getPackage().getImplementationVersion())
        .isEqualTo(System.getProperty("compat.opentelemetry.version"));
    assertThat(DriverInfo.DRIVER_VERSION).isEqualTo(System.getProperty("compat.pgjdbc.version"));
  }

  @Test
  void everyReferenceToTheOpenTelemetryApiAndPgjdbcLinks() throws Exception {
    Set<String> references = new TreeSet<>();
    int classes = 0;
    for (byte[] classFile : driverClassFiles()) {
      references.addAll(ConstantPool.read(classFile).referencesInto(CHECKED_PACKAGES));
      classes++;
    }
    assertThat(classes).as("driver classes read").isGreaterThan(50);
    assertThat(references).as("references found").anyMatch(r -> r.startsWith("io/opentelemetry/"))
        .anyMatch(r -> r.startsWith("org/postgresql/"));

    List<String> missing = new ArrayList<>();
    for (String reference : references) {
      if (!resolves(reference)) {
        missing.add(reference);
      }
    }
    assertThat(missing).as("references that do not link with OpenTelemetry API %s and pgjdbc %s",
        System.getProperty("compat.opentelemetry.version"), System.getProperty("compat.pgjdbc.version"))
        .allMatch(GUARDED::containsKey);
    assertThat(GUARDED.keySet()).as("guarded references the driver still makes").allMatch(references::contains);
  }

  private static List<byte[]> driverClassFiles() throws IOException, URISyntaxException {
    Path location = Path.of(ServerlessPgDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<byte[]> files = new ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> paths = Files.walk(location)) {
        for (Path path : (Iterable<Path>) paths.filter(p -> p.toString().endsWith(".class"))::iterator) {
          files.add(Files.readAllBytes(path));
        }
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
          if (entry.getName().endsWith(".class")) {
            try (InputStream in = jar.getInputStream(entry)) {
              files.add(in.readAllBytes());
            }
          }
        }
      }
    }
    return files;
  }

  /** {@code owner}, {@code owner.name:descriptor} (field) or {@code owner.name(args)return} (method). */
  private static boolean resolves(String reference) {
    int dot = reference.indexOf('.');
    String owner = (dot < 0 ? reference : reference.substring(0, dot)).replace('/', '.');
    Class<?> type;
    try {
      type = Class.forName(owner, false, LinkageTest.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
    if (dot < 0) {
      return true;
    }
    String member = reference.substring(dot + 1);
    int colon = member.indexOf(':');
    if (colon >= 0) {
      return hasField(type, member.substring(0, colon), member.substring(colon + 1));
    }
    int paren = member.indexOf('(');
    return hasMethod(type, member.substring(0, paren), member.substring(paren));
  }

  private static boolean hasField(Class<?> type, String name, String descriptor) {
    for (Class<?> candidate : hierarchy(type)) {
      for (Field field : candidate.getDeclaredFields()) {
        if (field.getName().equals(name) && descriptor(field.getType()).equals(descriptor)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasMethod(Class<?> type, String name, String descriptor) {
    if (name.equals("<init>")) {
      for (Constructor<?> constructor : type.getDeclaredConstructors()) {
        if (descriptor(constructor.getParameterTypes(), void.class).equals(descriptor)) {
          return true;
        }
      }
      return false;
    }
    for (Class<?> candidate : hierarchy(type)) {
      for (Method method : candidate.getDeclaredMethods()) {
        if (method.getName().equals(name)
            && descriptor(method.getParameterTypes(), method.getReturnType()).equals(descriptor)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The class, its superclasses and all their interfaces: where the JVM looks a member up. */
  private static Set<Class<?>> hierarchy(Class<?> type) {
    Set<Class<?>> seen = new HashSet<>();
    Deque<Class<?>> queue = new ArrayDeque<>(List.of(type));
    while (!queue.isEmpty()) {
      Class<?> next = queue.poll();
      if (seen.add(next)) {
        if (next.getSuperclass() != null) {
          queue.add(next.getSuperclass());
        }
        queue.addAll(List.of(next.getInterfaces()));
      }
    }
    if (type.isInterface()) {
      seen.add(Object.class);
    }
    return seen;
  }

  private static String descriptor(Class<?>[] parameters, Class<?> returned) {
    StringBuilder text = new StringBuilder("(");
    for (Class<?> parameter : parameters) {
      text.append(descriptor(parameter));
    }
    return text.append(')').append(descriptor(returned)).toString();
  }

  private static String descriptor(Class<?> type) {
    if (type.isArray()) {
      return type.getName().replace('.', '/');
    }
    if (!type.isPrimitive()) {
      return "L" + type.getName().replace('.', '/') + ";";
    }
    return switch (type.getName()) {
      case "void" -> "V";
      case "boolean" -> "Z";
      case "byte" -> "B";
      case "char" -> "C";
      case "short" -> "S";
      case "int" -> "I";
      case "long" -> "J";
      case "float" -> "F";
      case "double" -> "D";
      default -> throw new IllegalArgumentException(type.getName());
    };
  }

  /** The class, field and method references of one class file (JVMS 4.4). */
  private static final class ConstantPool {
    private final String[] utf8;
    private final int[] first;
    private final int[] second;
    private final byte[] tags;

    private ConstantPool(int size) {
      utf8 = new String[size];
      first = new int[size];
      second = new int[size];
      tags = new byte[size];
    }

    static ConstantPool read(byte[] classFile) throws IOException {
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile));
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException("not a class file");
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      ConstantPool pool = new ConstantPool(in.readUnsignedShort());
      for (int i = 1; i < pool.tags.length; i++) {
        byte tag = in.readByte();
        pool.tags[i] = tag;
        switch (tag) {
          case 1 -> pool.utf8[i] = in.readUTF();
          case 7, 8, 16, 19, 20 -> pool.first[i] = in.readUnsignedShort();
          case 3, 4 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          case 9, 10, 11, 12, 17, 18 -> {
            pool.first[i] = in.readUnsignedShort();
            pool.second[i] = in.readUnsignedShort();
          }
          case 15 -> {
            in.readUnsignedByte();
            pool.first[i] = in.readUnsignedShort();
          }
          default -> throw new IOException("unknown constant pool tag " + tag);
        }
      }
      return pool;
    }

    Set<String> referencesInto(List<String> packages) {
      Set<String> references = new TreeSet<>();
      for (int i = 1; i < tags.length; i++) {
        String reference = switch (tags[i]) {
          case 7 -> className(i);
          case 9 -> className(first[i]) + "." + utf8[first[second[i]]] + ":" + utf8[second[second[i]]];
          case 10, 11 -> className(first[i]) + "." + utf8[first[second[i]]] + utf8[second[second[i]]];
          default -> null;
        };
        if (reference != null && !reference.startsWith("[") && packages.stream().anyMatch(reference::startsWith)) {
          references.add(reference);
        }
      }
      return references;
    }

    private String className(int classIndex) {
      return utf8[first[classIndex]];
    }
  }
}
