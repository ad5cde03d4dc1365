/**
 * The machinery behind {@code dev.spindle.web}, not API: the startup compiler ({@code Compiler}, {@code AppBuilder})
 * that turns handlers into {@code Invocable}s of {@code ParamSpec}s and {@code DependencyNode}s; the readers that
 * convert and check values with pydantic's error types ({@code Readers}, {@code Constraints}, {@code ModelInfo},
 * {@code Validation}); the per-request {@code Exchange}; the route table and layers ({@code AppCore}, {@code Route},
 * {@code PathPattern}); output ({@code JsonOut}, {@code ResponseWriter}); the OpenAPI document and docs pages
 * ({@code Docs}, {@code SchemaBuilder}); body parsers ({@code UrlCodec}, {@code Multipart}); the annotations read at
 * startup from the class files rather than by reflection, which makes a proxy class per annotation type
 * ({@code Annotations}, {@code ClassFileReader}, {@code PlainAnnotation}, {@code PlainAnnotatedType}).
 */
package dev.spindle.web.internal;
