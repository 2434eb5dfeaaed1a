// Tika's side of bench/extract_vs_tika.py: what `java -jar tika-app.jar -J -t FILE` does
// (RecursiveParserWrapper over AutoDetectParser, plain-text handler, no write limit), for every file
// of a list in one JVM with N threads: a warm-up pass over all of them, then a timed pass.
// Run from source by the JDK's launcher: java -cp tika-app-3.2.2.jar TikaWarm.java CONFIG LIST OUT THREADS
// LIST holds one path a line; OUT/<line number>.json is that file's recursive JSON (as -J writes it).
// OUT/times.tsv: line number and seconds of parsing alone. Prints one JSON line: {"warmup_s":..., "timed_s":..., "files":..., "errors":...}.

import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;

import org.apache.tika.config.TikaConfig;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.serialization.JsonMetadataList;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.RecursiveParserWrapper;
import org.apache.tika.sax.BasicContentHandlerFactory;
import org.apache.tika.sax.RecursiveParserWrapperHandler;

public class TikaWarm {
    public static void main(String[] args) throws Exception {
        TikaConfig config = new TikaConfig(Paths.get(args[0]));
        List<String> files = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
        Path out = Paths.get(args[2]);
        int threads = Integer.parseInt(args[3]);
        RecursiveParserWrapper parser = new RecursiveParserWrapper(new AutoDetectParser(config));
        long t0 = System.nanoTime();
        pass(parser, files, null, threads);
        long t1 = System.nanoTime();
        int errors = pass(parser, files, out, threads);
        long t2 = System.nanoTime();
        System.out.printf(java.util.Locale.ROOT, "{\"warmup_s\": %.4f, \"timed_s\": %.4f, \"files\": %d, \"errors\": %d}%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, files.size(), errors);
    }

    static int pass(RecursiveParserWrapper parser, List<String> files, Path out, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger errors = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        double[] seconds = new double[files.size()];
        for (int i = 0; i < files.size(); i++) {
            final int n = i;
            done.add(pool.submit(() -> {
                try {
                    long start = System.nanoTime();
                    List<Metadata> list = parse(parser, Paths.get(files.get(n)));
                    seconds[n] = (System.nanoTime() - start) / 1e9;
                    if (out != null) {
                        try (Writer w = Files.newBufferedWriter(out.resolve(n + ".json"), StandardCharsets.UTF_8)) {
                            JsonMetadataList.toJson(list, w);
                        }
                    }
                } catch (Throwable e) {   // what -J would print as the container exception
                    errors.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        if (out != null) {
            StringBuilder times = new StringBuilder();
            for (int i = 0; i < seconds.length; i++) {
                times.append(i).append('\t').append(String.format(java.util.Locale.ROOT, "%.6f", seconds[i])).append('\n');
            }
            Files.writeString(out.resolve("times.tsv"), times.toString());
        }
        return errors.get();
    }

    static List<Metadata> parse(RecursiveParserWrapper parser, Path path) throws Exception {
        RecursiveParserWrapperHandler handler = new RecursiveParserWrapperHandler(
                new BasicContentHandlerFactory(BasicContentHandlerFactory.HANDLER_TYPE.TEXT, -1), -1);
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, path.getFileName().toString());
        try (InputStream in = TikaInputStream.get(path, metadata)) {
            parser.parse(in, handler, metadata, new ParseContext());
        } catch (Exception e) {
            // RecursiveParserWrapper records the exception in the container's metadata, as -J shows it
        }
        return handler.getMetadataList();
    }
}
