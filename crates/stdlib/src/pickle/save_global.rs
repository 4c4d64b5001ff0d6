//! Pickling by reference: classes, functions and other globals are written
//! as (module, qualified name), checked to lead back to the same object, with
//! copyreg's extension codes and Python 2 names for old protocols.

use super::pickler::Ctx;
use super::{op, pickling_error};
use krait_vm::{PyResult, Value, Vm};

impl Ctx<'_> {
    pub(super) fn save_type(&self, obj: &Value) -> PyResult<()> {
        let vm = self.vm;
        let t = &vm.types;
        let singleton = match obj.as_obj() {
            Some(c) if c.is(&t.none_type) => Some(Value::None),
            Some(c) if c.is(&t.ellipsis_type) => Some(vm.getattr_str(&Value::Obj(vm.import_full("builtins")?), "Ellipsis")?),
            Some(c) if c.is(&t.not_implemented_type) => {
                Some(vm.getattr_str(&Value::Obj(vm.import_full("builtins")?), "NotImplemented")?)
            }
            _ => None,
        };
        match singleton {
            Some(s) => {
                let rv = vm.new_tuple(vec![Value::Obj(t.type_.clone()), vm.new_tuple(vec![s])]);
                self.save_reduce(&rv, Some(obj))
            }
            None => self.save_global(obj, None),
        }
    }

    pub(super) fn save_global(&self, obj: &Value, name: Option<&Value>) -> PyResult<()> {
        let vm = self.vm;
        let global_name = match name {
            Some(n) => n.clone(),
            None => match vm.getattr_opt(obj, "__qualname__")? {
                Some(n) => n,
                None => vm.getattr_str(obj, "__name__")?,
            },
        };
        let path = dotted_path(vm, None, &global_name)?;
        let mut module_name = whichmodule(vm, obj, &path)?;
        let module_str = vm.str_string(&module_name)?;
        let module = match vm.import_full(&module_str) {
            Ok(m) => Value::Obj(m),
            Err(_) => {
                return Err(pickling_error(
                    vm,
                    format!("Can't pickle {}: import of module {} failed", vm.repr_string(obj)?, vm.repr_string(&module_name)?),
                ))
            }
        };
        let lastname = vm.new_str(path.last().cloned().unwrap_or_default());
        let (found, parent) = match deep_attribute(vm, &module, &path)? {
            Some(x) => x,
            None => {
                return Err(pickling_error(
                    vm,
                    format!(
                        "Can't pickle {}: attribute lookup {} on {} failed",
                        vm.repr_string(obj)?,
                        vm.str_string(&global_name)?,
                        module_str
                    ),
                ))
            }
        };
        if !found.is(obj) {
            return Err(pickling_error(
                vm,
                format!(
                    "Can't pickle {}: it's not the same object as {}.{}",
                    vm.repr_string(obj)?,
                    module_str,
                    vm.str_string(&global_name)?
                ),
            ));
        }
        let proto = self.p.proto.get();
        if proto >= 2 {
            let key = vm.new_tuple(vec![module_name.clone(), global_name.clone()]);
            let registry = self.g.extension_registry.as_obj().expect("dict");
            if let Some(code_obj) = vm.dict_get(registry, &key)? {
                return self.save_ext(obj, &code_obj);
            }
        }
        let mut global_name = global_name;
        if parent.is(&module) {
            global_name = lastname.clone();
        }
        if proto >= 4 {
            self.save(&module_name, false)?;
            self.save(&global_name, false)?;
            self.p.write1(op::STACK_GLOBAL);
        } else if !parent.is(&module) {
            let rv = vm.new_tuple(vec![self.g.getattr.clone(), vm.new_tuple(vec![parent, lastname])]);
            self.save_reduce(&rv, None)?;
        } else {
            if proto < 3 && self.p.fix_imports.get() {
                (module_name, global_name) = super::rename_global(vm, &self.g.name_mapping_3to2, &self.g.import_mapping_3to2, "REVERSE_", module_name, global_name)?;
            }
            let encode = |v: &Value, what: &str| -> PyResult<Vec<u8>> {
                let s = vm.str_string(v)?;
                if proto != 3 && !s.is_ascii() {
                    return Err(pickling_error(
                        vm,
                        format!("can't pickle {what} identifier '{s}' using pickle protocol {proto}"),
                    ));
                }
                Ok(s.into_bytes())
            };
            let m = encode(&module_name, "module")?;
            let n = encode(&global_name, "global")?;
            self.p.write1(op::GLOBAL);
            self.p.write(&m);
            self.p.write1(b'\n');
            self.p.write(&n);
            self.p.write1(b'\n');
        }
        self.memo_put(obj)
    }

    fn save_ext(&self, obj: &Value, code_obj: &Value) -> PyResult<()> {
        let vm = self.vm;
        let code = match code_obj {
            Value::Int(i) => *i,
            _ if vm.as_ibig(code_obj).is_some() && !matches!(code_obj, Value::Bool(_)) => i64::MAX,
            Value::Bool(b) => *b as i64,
            _ => {
                return Err(pickling_error(
                    vm,
                    format!("Can't pickle {}: extension code {} isn't an integer", vm.repr_string(obj)?, vm.repr_string(code_obj)?),
                ))
            }
        };
        if code <= 0 || code > 0x7fff_ffff {
            return Err(pickling_error(
                vm,
                format!("Can't pickle {}: extension code {} is out of range", vm.repr_string(obj)?, code),
            ));
        }
        let b = (code as u32).to_le_bytes();
        if code <= 0xff {
            self.p.write(&[op::EXT1, b[0]]);
        } else if code <= 0xffff {
            self.p.write(&[op::EXT2, b[0], b[1]]);
        } else {
            self.p.write(&[op::EXT4, b[0], b[1], b[2], b[3]]);
        }
        Ok(())
    }
}

/// A qualified name split at its dots; `<locals>` parts cannot be looked up.
pub(super) fn dotted_path(vm: &Vm, obj: Option<&Value>, name: &Value) -> PyResult<Vec<String>> {
    let Some(text) = vm.as_str(name) else {
        return Err(vm.new_type_error(format!("must be str, not {}", vm.type_name_of(name))));
    };
    let parts: Vec<String> = text.split('.').map(str::to_string).collect();
    if parts.iter().any(|p| p == "<locals>") {
        return Err(match obj {
            None => vm.new_attribute_error(format!("Can't pickle local object {}", vm.repr_string(name)?)),
            Some(o) => vm.new_attribute_error(format!(
                "Can't get local attribute {} on {}",
                vm.repr_string(name)?,
                vm.repr_string(o)?
            )),
        });
    }
    Ok(parts)
}

/// Follows `path` from `obj`: the attribute and its parent, or None when an
/// attribute is missing.
pub(super) fn deep_attribute(vm: &Vm, obj: &Value, path: &[String]) -> PyResult<Option<(Value, Value)>> {
    let mut cur = obj.clone();
    let mut parent = obj.clone();
    for name in path {
        match vm.getattr_opt(&cur, name)? {
            Some(next) => {
                parent = std::mem::replace(&mut cur, next);
            }
            None => return Ok(None),
        }
    }
    Ok(Some((cur, parent)))
}

/// The module a global belongs to: its `__module__`, else the module in
/// sys.modules that has it, else `__main__`.
fn whichmodule(vm: &Vm, obj: &Value, path: &[String]) -> PyResult<Value> {
    if let Some(m) = vm.getattr_opt(obj, "__module__")? {
        // Module names are interned in CPython, so a pickle memoizes one
        // name for all the globals of a module: the same here.
        let plain = m.payload().and_then(|p| p.as_str()).is_some_and(|s| !s.has_surrogates());
        match krait_vm::types::str::exact_str(vm, &m).filter(|_| plain) {
            Some(s) => return Ok(Value::Obj(vm.intern(s))),
            None if !m.is_none() => return Ok(m),
            None => {}
        }
    }
    let sys = vm.import_full("sys")?;
    let modules = vm.getattr_str(&Value::Obj(sys), "modules")?;
    let items = match modules.as_obj().filter(|d| d.payload.as_dict().is_some()) {
        Some(d) => vm.dict_items(d),
        None => {
            let list = vm.call_method(&modules, "items", &[])?;
            vm.collect_iter(&list)?
                .into_iter()
                .filter_map(|kv| kv.payload().and_then(|p| p.as_tuple()).and_then(|t| if t.len() == 2 { Some((t[0].clone(), t[1].clone())) } else { None }))
                .collect()
        }
    };
    for (name, module) in items {
        if vm.as_str(&name) == Some("__main__") || module.is_none() {
            continue;
        }
        if let Some((candidate, _)) = deep_attribute(vm, &module, path)? {
            if candidate.is(obj) {
                return Ok(name);
            }
        }
    }
    Ok(vm.new_str("__main__"))
}
