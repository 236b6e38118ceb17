package io.bitnet.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet.agent.instrumentation.kernels.BitNetKernelsInstrumentation;
import io.bitnet.agent.instrumentation.kernels.KernelCalls;
import io.bitnet.agent.instrumentation.kernels.KernelsInstrumentationModule;
import io.bitnet.agent.instrumentation.runtime.BitNetModelInstrumentation;
import io.bitnet.agent.instrumentation.runtime.EngineWorkerInstrumentation;
import io.bitnet.agent.instrumentation.runtime.InferenceEngineInstrumentation;
import io.bitnet.agent.instrumentation.runtime.InferenceScope;
import io.bitnet.agent.instrumentation.runtime.RuntimeInstrumentationModule;
import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.KernelBackend;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.FinishReason;
import io.bitnet.runtime.GenerationRequest;
import io.bitnet.runtime.GenerationResult;
import io.bitnet.runtime.InferenceEngine;
import io.bitnet.runtime.ModelConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.bytebuddy.asm.Advice;
import org.junit.jupiter.api.Test;

/**
 * The advice checklist of STYLE.md, checked on every advice class, and the promise behind it: the
 * helpers swallow (and report once) any exception, so an error inside advice never reaches the host.
 */
class AdviceChecklistTest {

  private static final List<Class<?>> INSTRUMENTATIONS = List.of(BitNetKernelsInstrumentation.class,
      InferenceEngineInstrumentation.class, BitNetModelInstrumentation.class, EngineWorkerInstrumentation.class,
      EngineWorkerInstrumentation.QueuedRequestInstrumentation.class);

  private static List<Class<?>> adviceClasses() {
    List<Class<?>> advice = new ArrayList<>();
    for (Class<?> type : INSTRUMENTATIONS) {
      for (Class<?> nested : type.getDeclaredClasses()) {
        if (nested.getSimpleName().endsWith("Advice")) {
          advice.add(nested);
        }
      }
    }
    return advice;
  }

  @Test
  void everyAdviceSuppressesThrowableIsNotInlinedAndHoldsNoState() {
    List<Class<?>> advice = adviceClasses();
    assertTrue(advice.size() >= 9, "found " + advice);
    for (Class<?> a : advice) {
      assertTrue(Modifier.isPublic(a.getModifiers()) && Modifier.isStatic(a.getModifiers()), a + " is public static");
      assertEquals(0, a.getDeclaredFields().length, a + " has no fields");
      for (Method m : a.getDeclaredMethods()) {
        assertTrue(Modifier.isStatic(m.getModifiers()), m + " is static");
        Advice.OnMethodEnter enter = m.getAnnotation(Advice.OnMethodEnter.class);
        Advice.OnMethodExit exit = m.getAnnotation(Advice.OnMethodExit.class);
        assertTrue(enter != null || exit != null, m + " is an advice method");
        if (enter != null) {
          assertEquals(Throwable.class, enter.suppress(), m + " suppresses Throwable");
          assertEquals(false, enter.inline(), m + " is not inlined");
        }
        if (exit != null) {
          assertEquals(Throwable.class, exit.suppress(), m + " suppresses Throwable");
          assertEquals(false, exit.inline(), m + " is not inlined");
        }
      }
    }
  }

  @Test
  void everyHelperClassIsListed() throws Exception {
    for (var module : List.of(new KernelsInstrumentationModule(), new RuntimeInstrumentationModule())) {
      for (String helper : module.getAdditionalHelperClassNames()) {
        assertDoesNotThrow(() -> Class.forName(helper, false, getClass().getClassLoader()), helper + " exists");
      }
      String pkg = module.getClass().getPackageName();
      try (var classes = java.nio.file.Files.list(java.nio.file.Path.of(
          module.getClass().getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(pkg.replace('.', '/')))) {
        for (String file : classes.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".class")).toList()) {
          String name = pkg + "." + file.substring(0, file.length() - ".class".length());
          boolean adviceOrModule = name.contains("Instrumentation") || name.endsWith("Module");
          assertTrue(adviceOrModule || module.getAdditionalHelperClassNames().contains(name),
              name + " is used by advice but not listed as a helper (synthetic classes are not allowed either)");
        }
      }
    }
  }

  /** Shared helpers drag in what their fields and nested classes name: those must be helpers too. */
  @Test
  void everyExtensionClassASharedHelperNeedsIsListed() throws Exception {
    for (String name : io.bitnet.agent.instrumentation.SharedHelpers.NAMES) {
      Class<?> c = Class.forName(name, false, getClass().getClassLoader());
      java.util.List<Class<?>> needed = new java.util.ArrayList<>(List.of(c.getDeclaredClasses()));
      for (java.lang.reflect.Field f : c.getDeclaredFields()) {
        needed.add(f.getType());
      }
      for (Class<?> n : needed) {
        if (n.getName().startsWith("io.bitnet.agent.")) {
          assertTrue(io.bitnet.agent.instrumentation.SharedHelpers.NAMES.contains(n.getName()),
              n.getName() + " is used by the shared helper " + name + " but is not in SharedHelpers.NAMES");
        }
      }
    }
  }

  @Test
  void helpersSwallowExceptionsFromBadInput() throws Exception {
    // every matmul sampled for accuracy, so the broken input below reaches the accuracy check
    io.bitnet.agent.config.BitNetConfigHolder.set(io.bitnet.agent.config.BitNetConfig.parse(
        k -> k.equals("bitnet.quantization.accuracy.sample-ratio") ? "1" : null).config());
    long before = AdviceErrors.count();
    try (BitNetKernels kernels = BitNetKernels.builder().backend(KernelBackend.JAVA).threads(1).build();
        TernaryTensor tensor = kernels.quantize("t", new float[128], 1, 128, QuantizationFormat.I2_S)) {
      // matmul's exit with arrays that do not match the tensor: the accuracy check would fail
      assertDoesNotThrow(() -> KernelCalls.multiplied(KernelCalls.enter(), kernels, tensor, null, 1, null, null));
    }
    long afterKernel = AdviceErrors.count();
    assertTrue(afterKernel > before, "the matmul helper reported its error");
    try (BitNetModel model = BitNetModel.synthetic(ModelConfig.TINY, 1, BitNetKernels.getDefault(),
            BitNetModel.LoadProgress.NONE);
        InferenceEngine engine = InferenceEngine.builder(model).build()) {
      InferenceScope scope = InferenceScope.start(engine, GenerationRequest.builder("x").build());
      GenerationResult broken = new GenerationResult("id", "tiny", "", 1, 1, FinishReason.STOP, Optional.empty(), null);
      assertDoesNotThrow(() -> InferenceScope.end(scope, broken, null));
    }
    assertTrue(AdviceErrors.count() > afterKernel, "the inference helper reported its error");
  }
}
